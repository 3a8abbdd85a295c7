import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// HTTP/1.0 semantics the version-free request types cannot carry: a request
/// that does not ask to keep the connection (HTTP/1.0 without `keep-alive`, or
/// `Connection: close`) gets `Connection: close` on its response, and the
/// connection is closed once the response is written.
///
/// Hummingbird converts HTTP/1 messages to swift-http-types, which have no
/// version, in a handler its configuration cannot put anything before; this
/// one is added after it and places the watcher in front of it.
final class HTTP10CloseInstaller: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = Never

    func handlerAdded(context: ChannelHandlerContext) {
        let pipeline = context.pipeline.syncOperations
        if let codec = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) {
            try? pipeline.addHandler(KeepAliveWatcher(), position: .before(codec))
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

/// Watches HTTP/1 request heads and closes the connection after a response to one that is not keep-alive.
final class KeepAliveWatcher: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Whether each request waiting for its response keeps the connection, oldest first.
    private var keepAlive: [Bool] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) { keepAlive.append(head.isKeepAlive) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = unwrapOutboundIn(data)
        let keeps = keepAlive.first ?? true
        switch part {
        case .head(var head) where !keeps:
            head.headers.replaceOrAdd(name: "connection", value: "close")
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end where !keeps:
            keepAlive.removeFirst()
            context.writeAndFlush(data).whenComplete { _ in context.close(promise: nil) }
            promise?.succeed()
        case .end:
            if !keepAlive.isEmpty { keepAlive.removeFirst() }
            context.write(data, promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }
}
