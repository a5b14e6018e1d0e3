import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// `/health` (`HealthCheck`: database answering, broker connected) and `/metrics` (Prometheus text)
/// on the service's address (`HOTLINE_HTTP_HOST`, loopback unless set) and port.
public enum HealthServer {
    public static func make(
        host: String, port: Int, registry: PrometheusCollectorRegistry, logger: Logger, check: HealthCheck
    ) -> some Service {
        let router = Router()
        router.get("/health") { _, _ -> Response in
            let results = await check.results()
            let healthy = results.values.allSatisfy { $0 }
            let body = "{" + results.sorted { $0.key < $1.key }
                .map { "\"\($0.key)\":\($0.value ? "\"up\"" : "\"down\"")" }
                .joined(separator: ",") + ",\"status\":\"\(healthy ? "up" : "down")\"}"
            return Response(
                status: healthy ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/metrics") { _, _ -> Response in
            Response(
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
