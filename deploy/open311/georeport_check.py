#!/usr/bin/env python3
"""An existing Open311 client library, used as it is, against the live Open311 API (docs/open311.md).

    georeport_check.py BASE_URL --request-id TICKET_NO

`georeport` (PyPI) reads services, a service definition and service requests in JSON and in XML,
naming the jurisdiction as a client of a city's endpoint would. Exits non-zero with the reason at the
first answer the library cannot use or that says something else than the platform does.
"""
import argparse
import sys

from georeport import GeoReport


def as_list(value):
    """xmltodict gives one element as a dict, several as a list."""
    return value if isinstance(value, list) else [value]


def check(condition, what):
    if not condition:
        sys.exit(f"georeport_check: {what}")
    print(f"ok: {what}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("--request-id", required=True, help="a ticket number the API knows")
    parser.add_argument("--jurisdiction", default="pingshan")
    arguments = parser.parse_args()
    for output_format in ("json", "xml"):
        client = GeoReport(arguments.base_url, jurisdiction=arguments.jurisdiction, output_format=output_format)
        services = as_list(client.get_service_list())
        codes = [service["service_code"] for service in services]
        check("CG-001" in codes and len(codes) > 10, f"{output_format}: {len(codes)} services, CG-001 among them")
        definition = client.get_service_definition("CG-001")
        attributes = definition["attributes"]
        if output_format == "xml":
            attributes = as_list(attributes["attribute"])
        check(any(attribute["code"] == "street" for attribute in attributes), f"{output_format}: CG-001 has the street attribute")
        requests = as_list(client.get_service_requests(service_request_id=arguments.request_id))
        check([r["service_request_id"] for r in requests] == [arguments.request_id],
              f"{output_format}: the request {arguments.request_id} found by id")
        request = client.get_service_request(arguments.request_id)
        check(request["service_request_id"] == arguments.request_id and request["status"] in ("open", "closed"),
              f"{output_format}: the request {arguments.request_id} is {request['status']}")
        recent = as_list(client.get_service_requests(service_code="CG-001", status="open,closed"))
        check(len(recent) >= 1 and all(r["service_code"] == "CG-001" for r in recent),
              f"{output_format}: {len(recent)} recent CG-001 requests")
    print("georeport_check: passed")


if __name__ == "__main__":
    main()
