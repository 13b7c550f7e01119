/// Route registration shared by `Router` and `RouterGroup`.
///
/// A handler returns a `Response` or any other `ResponseGenerator`. Errors it
/// throws go to the middleware, where `RecoveryMiddleware` turns them into
/// responses.
public protocol RouterMethods {
    /// Registers `handler` for `method` on the route `path`.
    ///
    /// An invalid template or a second route with the same method and the same
    /// shape (the same template up to parameter names) is a programmer error
    /// and stops the process with a message naming the template.
    @discardableResult
    func on<Output: ResponseGenerator>(
        _ path: String,
        method: HTTPMethod,
        use handler: @escaping @Sendable (Request, RequestContext) async throws -> Output
    ) -> Self
}

extension RouterMethods {
    @discardableResult
    public func get<Output: ResponseGenerator>(
        _ path: String,
        use handler: @escaping @Sendable (Request, RequestContext) async throws -> Output
    ) -> Self {
        on(path, method: .get, use: handler)
    }

    @discardableResult
    public func post<Output: ResponseGenerator>(
        _ path: String,
        use handler: @escaping @Sendable (Request, RequestContext) async throws -> Output
    ) -> Self {
        on(path, method: .post, use: handler)
    }

    @discardableResult
    public func put<Output: ResponseGenerator>(
        _ path: String,
        use handler: @escaping @Sendable (Request, RequestContext) async throws -> Output
    ) -> Self {
        on(path, method: .put, use: handler)
    }

    @discardableResult
    public func patch<Output: ResponseGenerator>(
        _ path: String,
        use handler: @escaping @Sendable (Request, RequestContext) async throws -> Output
    ) -> Self {
        on(path, method: .patch, use: handler)
    }

    @discardableResult
    public func delete<Output: ResponseGenerator>(
        _ path: String,
        use handler: @escaping @Sendable (Request, RequestContext) async throws -> Output
    ) -> Self {
        on(path, method: .delete, use: handler)
    }

    /// Registers an explicit HEAD handler. Without one, HEAD requests run the
    /// GET handler of the same route.
    @discardableResult
    public func head<Output: ResponseGenerator>(
        _ path: String,
        use handler: @escaping @Sendable (Request, RequestContext) async throws -> Output
    ) -> Self {
        on(path, method: .head, use: handler)
    }

    @discardableResult
    public func options<Output: ResponseGenerator>(
        _ path: String,
        use handler: @escaping @Sendable (Request, RequestContext) async throws -> Output
    ) -> Self {
        on(path, method: .options, use: handler)
    }
}
