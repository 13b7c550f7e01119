import StratusAppSpec
import StratusOrchestrator
import Testing

@Suite struct HorizontalAutoscalerTests {
    let start = ContinuousClock.now

    func scaler(min: Int = 1, max: Int = 10, target: Int = 50, window: Duration = .seconds(300)) -> HorizontalAutoscaler {
        HorizontalAutoscaler(spec: AutoscaleSpec(min: min, max: max, targetCPUPercent: target, scaleDownStabilization: window), tolerance: 0.1)
    }

    @Test func formulaRoundsUp() {
        #expect(HorizontalAutoscaler.desiredReplicas(current: 2, utilization: 90, target: 50, tolerance: 0.1) == 4)
        #expect(HorizontalAutoscaler.desiredReplicas(current: 3, utilization: 60, target: 50, tolerance: 0.1) == 4)
        #expect(HorizontalAutoscaler.desiredReplicas(current: 4, utilization: 10, target: 50, tolerance: 0.1) == 1)
        #expect(HorizontalAutoscaler.desiredReplicas(current: 1, utilization: 250, target: 50, tolerance: 0.1) == 5)
    }

    @Test func toleranceKeepsCount() {
        #expect(HorizontalAutoscaler.desiredReplicas(current: 4, utilization: 55, target: 50, tolerance: 0.1) == 4)
        #expect(HorizontalAutoscaler.desiredReplicas(current: 4, utilization: 45, target: 50, tolerance: 0.1) == 4)
        #expect(HorizontalAutoscaler.desiredReplicas(current: 4, utilization: 56, target: 50, tolerance: 0.1) == 5)
        #expect(HorizontalAutoscaler.desiredReplicas(current: 4, utilization: 44, target: 50, tolerance: 0.1) == 4)
        #expect(HorizontalAutoscaler.desiredReplicas(current: 10, utilization: 44, target: 50, tolerance: 0.1) == 9)
    }

    @Test func boundsClampRecommendation() {
        var autoscaler = scaler(min: 2, max: 5)
        #expect(autoscaler.recommend(current: 3, utilization: 400, at: start).replicas == 5)
        var low = scaler(min: 2, max: 5, window: .zero)
        #expect(low.recommend(current: 3, utilization: 1, at: start).replicas == 2)
    }

    @Test func scaleUpAppliesAtOnce() {
        var autoscaler = scaler()
        let decision = autoscaler.recommend(current: 2, utilization: 100, at: start)
        #expect(decision.replicas == 4)
        #expect(decision.reason.contains("above target"))
    }

    @Test func scaleDownWaitsForWindow() {
        var autoscaler = scaler(window: .seconds(300))
        #expect(autoscaler.recommend(current: 4, utilization: 50, at: start).replicas == 4)
        let heldDecision = autoscaler.recommend(current: 4, utilization: 10, at: start + .seconds(15))
        #expect(heldDecision.replicas == 4)
        #expect(heldDecision.recommended == 1)
        #expect(heldDecision.reason.contains("stabilization window"))
        #expect(autoscaler.recommend(current: 4, utilization: 10, at: start + .seconds(299)).replicas == 4)
        #expect(autoscaler.recommend(current: 4, utilization: 10, at: start + .seconds(301)).replicas == 1)
    }

    @Test func scaleDownUsesHighestInWindow() {
        var autoscaler = scaler(window: .seconds(60))
        _ = autoscaler.recommend(current: 6, utilization: 50, at: start)
        _ = autoscaler.recommend(current: 6, utilization: 25, at: start + .seconds(30))
        #expect(autoscaler.recommend(current: 6, utilization: 10, at: start + .seconds(61)).replicas == 3)
        #expect(autoscaler.recommend(current: 3, utilization: 10, at: start + .seconds(92)).replicas == 2)
    }

    @Test func zeroReplicasStayZero() {
        #expect(HorizontalAutoscaler.desiredReplicas(current: 0, utilization: 90, target: 50, tolerance: 0.1) == 0)
    }
}
