import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// `/health` (`HealthCheck`: database answering, broker connected) and `/metrics` (Prometheus text,
/// after `refreshGauges` brings the gauges computed on demand up to date) on the service's address
/// (`HOTLINE_HTTP_HOST`, loopback unless set) and port.
public enum HealthServer {
    public static func make(
        host: String, port: Int, registry: PrometheusCollectorRegistry, logger: Logger, check: HealthCheck,
        refreshGauges: @escaping @Sendable () async -> Void
    ) -> some Service {
        let router = Router()
        router.get("/health") { _, _ -> Response in
            let report = await check.results()
            var fields = report.parts.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value ? "\"up\"" : "\"down\"")" }
            fields.append("\"status\":\"\(report.isHealthy ? "up" : "down")\"")
            if !report.warnings.isEmpty, let warnings = try? JSONEncoder().encode(report.warnings) {
                fields.append("\"warnings\":" + String(decoding: warnings, as: UTF8.self))
            }
            let body = "{" + fields.joined(separator: ",") + "}"
            return Response(
                status: report.isHealthy ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/metrics") { _, _ -> Response in
            await refreshGauges()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "hotline"),
            onServerRunning: { channel in
                logger.info("health and metrics listening", metadata: [
                    "host": "\(host)", "port": "\(channel.localAddress?.port ?? port)",
                ])
            },
            logger: logger)
    }
}
