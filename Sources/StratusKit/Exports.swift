// A service written with the kit uses the router, requests and responses,
// loggers, metrics and its configuration in nearly every file, so
// `import StratusKit` brings those modules too.
@_exported public import StratusConfig
@_exported public import StratusHTTP
@_exported public import StratusLog
@_exported public import StratusTelemetry
