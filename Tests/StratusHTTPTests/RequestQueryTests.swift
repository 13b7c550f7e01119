import Testing
import StratusHTTP

@Suite struct RequestQueryTests {
    private func request(_ target: String) -> Request {
        Request(head: HTTPRequestHead(method: .get, target: target))
    }

    @Test func decodesEscapesAndPlus() {
        let parameters = request("/watch?service=iam%2Dapi&note=a+b&empty&x=%zz").queryParameters
        #expect(parameters.map(\.name) == ["service", "note", "empty", "x"])
        #expect(parameters.map(\.value) == ["iam-api", "a b", "", "%zz"])
    }

    @Test func firstValueWins() {
        #expect(request("/p?a=1&a=2").queryParameter("a") == "1")
        #expect(request("/p").queryParameter("a") == nil)
    }
}
