import StratusHTTP
import StratusResilience

/// A route's limit on a declared request body size; the proxy enforces
