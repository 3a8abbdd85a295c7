#if canImport(Glibc)
import Glibc
#endif
import HeadroomMonitor
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOCore
import Logging
import ServiceLifecycle
import Synchronization

/// `headroom serve`: a Prometheus endpoint for this machine's memory and GPUs.
///
/// A background service reads the machine every `interval` through the
/// probe's ``MachineReader`` (files kept open, as `watch`'s sampler reads them)
/// and the GPU backend, and updates the exporter's gauges; `GET /metrics`
/// formats the latest values, so concurrent scrapes cost no NVML walk each.
/// SIGTERM and SIGINT shut it down cleanly.
///
/// Optionally over TLS (``tls``) and behind basic auth or a bearer token
/// (``access``); `/healthz` and `/` stay open for liveness and readiness probes.
public struct MetricsServer: Sendable {
    public var host: String
    public var port: Int
    public var interval: Duration
    /// The directory that stands for `/`.
    public var root: SystemRoot
    public var gpuBackend: any GPUBackend
    /// The certificate and key to serve HTTPS with; `nil` serves plain HTTP.
    public var tls: TLSFiles?
    /// Who may read `/metrics`.
    public var access: MetricsAccess

    public init(host: String = "127.0.0.1", port: Int = 9410, interval: Duration = .seconds(2),
                root: SystemRoot = .live, gpuBackend: any GPUBackend = NVMLBackend(),
                tls: TLSFiles? = nil, access: MetricsAccess = .open) {
        self.host = host
        self.port = port
        self.interval = interval
        self.root = root
        self.gpuBackend = gpuBackend
        self.tls = tls
        self.access = access
    }

    /// Serves until SIGTERM or SIGINT. `ready` is called with the bound port once listening.
    /// - Throws: ``ServeSetupError`` when the TLS files cannot be used;
    ///   ``MetricsServerError`` when the address cannot be bound.
    public func run(ready: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let http = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [HTTP10CloseInstaller()],
                                                                idleTimeout: MetricsServer.idleTimeout))
        var server = http
        if let tls { server = try HTTPServerBuilder.tls(http, tlsConfiguration: try tls.configuration()) }
        let access = self.access
        let exporter = MetricsExporter()
        let sampler = SamplingService(exporter: exporter, machine: MachineReader(root: root), gpuBackend: gpuBackend,
                                      interval: interval, workloads: GPUAttributor(namespace: .detect(root: root), root: root))
        sampler.sampleOnce()  // the first scrape already has figures
        let router = Router()
        router.get("metrics") { request, _ -> Response in
            guard access.allows(request.headers) else { return MetricsServer.unauthorized(access) }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: exporter.exposition())))
        }
        // HEAD: the same headers and no body, for probes that check the endpoint is up.
        router.head("metrics") { request, _ -> Response in
            guard access.allows(request.headers) else { return MetricsServer.unauthorized(access) }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"])
        }
        router.get("/") { _, _ -> String in
            "headroom serve: Prometheus metrics at /metrics\n"
        }
        // Liveness and readiness: the first sample is taken before the server listens.
        router.get("healthz") { _, _ -> String in "ok\n" }
        var logger = Logger(label: "headroom.serve")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            // Idle connections are closed, so thousands of them cannot hold the server's descriptors.
            server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: "headroom",
                                 availableConnectionsDelegate: MaximumAvailableConnections(MetricsServer.connectionCap())),
            services: [sampler],
            onServerRunning: { channel in ready(channel.localAddress?.port ?? 0) },
            logger: logger)
        do {
            try await app.runService()
        } catch {
            throw MetricsServerError(address: "\(host):\(port)", reason: "\(error)")
        }
    }
}

extension MetricsServer {
    /// 401 with the challenge for the configured scheme.
    static func unauthorized(_ access: MetricsAccess) -> Response {
        Response(status: .unauthorized, headers: [.wwwAuthenticate: access.challenge, .contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: "unauthorized\n")))
    }

    /// How long a connection may sit without a request before it is closed.
    static let idleTimeout = TimeAmount.seconds(10)

    /// The most connections held at once: well below the file limit, so a flood of idle
    /// connections leaves descriptors for the scrapes, the probe's files and NVML.
    static func connectionCap() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return 1024 }
        return max(16, min(4096, Int(limit.rlim_cur) / 2))
    }
}

/// The server could not listen.
public struct MetricsServerError: Error, Sendable, CustomStringConvertible {
    public var address: String
    public var reason: String

    public var description: String {
        let inUse = reason.contains("Address already in use") ? "the address is in use (another server on that port?)" : reason
        return "cannot listen on \(address): \(inUse)"
    }
}

/// Probes at an interval until graceful shutdown.
struct SamplingService: Service {
    let exporter: MetricsExporter
    let machine: MachineReader
    let gpuBackend: any GPUBackend
    let interval: Duration
    /// Gives GPU processes their pod UID, container ID or Slurm job from their cgroup paths
    /// (with `hostPID`, every container's); `nil` reads none.
    var workloads: GPUAttributor? = nil

    func sampleOnce() {
        guard let memory = try? machine.memory() else { return }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var gpus = gpuBackend.inventory()
        workloads?.identifyWorkloads(&gpus.devices)
        exporter.update(memory: memory, gpus: gpus, at: Double(now.tv_sec) + Double(now.tv_nsec) / 1e9)
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await gracefulShutdownSleep(interval)
            sampleOnce()
        }
    }

    private func gracefulShutdownSleep(_ duration: Duration) async throws {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }
}
