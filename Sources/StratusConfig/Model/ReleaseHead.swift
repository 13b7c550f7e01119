public import Foundation

/// Which releases of a namespace are in force: the main release that every
/// instance sees, and a gray release that the instances of its selector
/// see instead.
///
/// Every publish, rollback and gray decision rewrites the head in the same
/// store transaction as the release it names, so the head and the releases
/// never disagree.
public struct ReleaseHead: Sendable, Hashable, Codable {
    public struct Gray: Sendable, Hashable, Codable {
        public var release: Int
        public var selector: GraySelector
        public var startedAt: Date
        public var startedBy: String

        public init(release: Int, selector: GraySelector, startedAt: Date, startedBy: String) {
            self.release = release
            self.selector = selector
            self.startedAt = startedAt
            self.startedBy = startedBy
        }
    }

    /// The highest release number so far; 0 before the first publish.
    public var latestRelease: Int
    /// The release every instance outside the gray selector sees; 0 before
    /// the first publish.
    public var mainRelease: Int
    /// The gray release in progress, if any.
    public var gray: Gray?
    /// Gray releases that were abandoned, oldest first.
    public var abandonedReleases: [Int]
    /// Main releases that a rollback replaced, oldest first.
    public var rolledBackReleases: [Int]

    public init(latestRelease: Int = 0, mainRelease: Int = 0, gray: Gray? = nil, abandonedReleases: [Int] = [], rolledBackReleases: [Int] = []) {
        self.latestRelease = latestRelease
        self.mainRelease = mainRelease
        self.gray = gray
        self.abandonedReleases = abandonedReleases
        self.rolledBackReleases = rolledBackReleases
    }

    /// The release number an instance sees, 0 when nothing is published.
    public func visibleRelease(instanceID: String, labels: [String: String]) -> Int {
        if let gray, gray.selector.matches(instanceID: instanceID, labels: labels) {
            return gray.release
        }
        return mainRelease
    }

    /// What a release is now: `main`, `gray`, `abandoned`, `rolledBack`,
    /// or `previous` for a release that was in force before.
    public func state(of number: Int) -> ReleaseSummary.State {
        if number == mainRelease { return .main }
        if number == gray?.release { return .gray }
        if abandonedReleases.contains(number) { return .abandoned }
        if rolledBackReleases.contains(number) { return .rolledBack }
        return .previous
    }
}
