#!/usr/bin/env python3
"""An existing Open311 client library, used as it is, against the live Open311 API (docs/open311.md).

    georeport_check.py BASE_URL --request-id TICKET_NO [--jurisdiction pingshan]

`georeport` (PyPI) reads services, a service definition and service requests in JSON and in XML,
naming the jurisdiction as a client of a city's endpoint would. Exits non-zero with the reason at the
first answer the library cannot use or that says something else than the platform does.
"""
import argparse
import sys

from georeport import GeoReport


def as_list(value):
    """xmltodict gives one element as a dict, several as a list (and an empty element as None)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def check(condition, what):
    if not condition:
        sys.exit(f"georeport_check: FAILED: {what}")
    print(f"ok: {what}")


def call(what, function, *arguments, **keywords):
    """The library's answer; a failure (an HTTP error, a body it cannot parse) ends the check."""
    try:
        return function(*arguments, **keywords)
    except Exception as error:  # noqa: BLE001 - any failure of the library is the check's failure
        response = getattr(error, "response", None)
        body = f": {response.text[:500]}" if response is not None else ""
        sys.exit(f"georeport_check: FAILED: {what}: {type(error).__name__}: {error}{body}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("--request-id", required=True, help="a ticket number the API knows")
    parser.add_argument("--jurisdiction", default="pingshan")
    arguments = parser.parse_args()
    ticket = arguments.request_id
    for output_format in ("json", "xml"):
        client = GeoReport(arguments.base_url, jurisdiction=arguments.jurisdiction, output_format=output_format)
        services = as_list(call(f"{output_format}: get_service_list()", client.get_service_list))
        codes = [service["service_code"] for service in services]
        check("CG-001" in codes and len(codes) > 10, f"{output_format}: {len(codes)} services, CG-001 among them")

        definition = call(f"{output_format}: get_service_definition('CG-001')", client.get_service_definition, "CG-001")
        attributes = definition["attributes"]
        if output_format == "xml":
            attributes = as_list((attributes or {}).get("attribute"))
        check(definition["service_code"] == "CG-001" and any(attribute["code"] == "street" for attribute in attributes),
              f"{output_format}: CG-001's definition has the street attribute")

        everything = as_list(call(f"{output_format}: get_service_requests()", client.get_service_requests))
        check(len(everything) >= 1 and all(r["status"] in ("open", "closed") for r in everything),
              f"{output_format}: get_service_requests() lists {len(everything)} requests, each open or closed")

        by_id = as_list(call(f"{output_format}: get_service_requests(service_request_id={ticket})",
                             client.get_service_requests, service_request_id=ticket))
        check([r["service_request_id"] for r in by_id] == [ticket]
              and all(r["status"] in ("open", "closed") for r in by_id),
              f"{output_format}: get_service_requests(service_request_id={ticket}) finds it")

        request = call(f"{output_format}: get_service_request({ticket})", client.get_service_request, ticket)
        check(request["service_request_id"] == ticket and request["status"] in ("open", "closed"),
              f"{output_format}: get_service_request({ticket}) is {request['status']}")

        recent = as_list(call(f"{output_format}: get_service_requests(service_code='CG-001', status='open,closed')",
                              client.get_service_requests, service_code="CG-001", status="open,closed"))
        check(len(recent) >= 1 and all(r["service_code"] == "CG-001" for r in recent),
              f"{output_format}: {len(recent)} recent CG-001 requests")
    print("georeport_check: passed")


if __name__ == "__main__":
    main()
