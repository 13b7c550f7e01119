/// One backend's way of fetching messages for a subscription.
package protocol DeliveryFetcher: Sendable {
    /// Returns up to `maxMessages` deliveries, waiting up to the
    /// subscription's fetch wait when none is ready; an empty array when
    /// none arrived. Each delivery's settlement returns a credit to `window`.
    func fetch(maxMessages: Int, window: CreditWindow) async throws(EventBusError) -> [Delivery]

    /// Releases what the fetcher holds at the broker; called once when the
    /// subscription ends.
    func close() async
}
