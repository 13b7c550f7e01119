import StratusHTTP
import StratusResilience

/// A route's limit on requests in flight, held until the response body
