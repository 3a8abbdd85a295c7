import HummingbirdTLS
import NIOSSL

/// A PEM certificate chain and its private key, for serving over HTTPS.
public struct TLSFiles: Sendable, Equatable {
    public var certificate: String
    public var key: String

    public init(certificate: String, key: String) {
        self.certificate = certificate
        self.key = key
    }

    /// A server configuration from the two files.
    /// - Throws: ``ServeSetupError`` when a file cannot be read or holds no PEM certificate or key.
    func configuration() throws(ServeSetupError) -> TLSConfiguration {
        // Read first, so a missing file is the system's reason rather than BoringSSL's.
        _ = try ServeSetupError.readFile(certificate, what: "TLS certificate")
        _ = try ServeSetupError.readFile(key, what: "TLS key")
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificate) } catch {
            throw ServeSetupError("the TLS certificate \(certificate) holds no PEM certificate")
        }
        guard !chain.isEmpty else { throw ServeSetupError("the TLS certificate \(certificate) holds no PEM certificate") }
        let privateKey: NIOSSLPrivateKey
        do { privateKey = try NIOSSLPrivateKey(file: key, format: .pem) } catch {
            throw ServeSetupError("the TLS key \(key) holds no PEM private key")
        }
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                        privateKey: .privateKey(privateKey))
    }
}
