import Foundation
import StratusTestSupport
import Testing

extension IAMProcessTests {
    @Suite struct CompatibilityFlowTests {
        @Test func flowPassesAgainstOneReplicaEach() async throws {
            let deployment = try await IAMDeployment.start()
            do {
                try await CompatibilityFlow(deployment: deployment).run()
            } catch {
                Issue.record(error)
            }
            await deployment.stop()
        }

        /// Runs two replicas of each service and kills one of each with SIGKILL
        /// at a different point of the flow. The flow must pass on the survivors.
        @Test func flowSurvivesKilledReplicas() async throws {
            let deployment = try await IAMDeployment.start(apiservers: 2, authzServers: 2, pumps: 2)
            var flow = CompatibilityFlow(deployment: deployment)
            flow.between = { point in
                switch point {
                case "logged in": deployment.kill(deployment.replicas(of: "iam-apiserver")[0])
                case "secrets done": deployment.kill(deployment.replicas(of: "iam-authz-server")[0])
                case "policies done": deployment.kill(deployment.replicas(of: "iam-pump")[0])
                default: break
                }
            }
            do {
                try await flow.run()
            } catch {
                Issue.record(error)
            }
            await deployment.stop()
        }

        /// Runs the flow with two API servers and two pumps sharing one
        /// PostgreSQL database, the storage of a cluster.
        @Test func flowPassesOnPostgreSQL() async throws {
            let postgres = try await PostgresPeer.start()
            try postgres.createDatabase("iam")
            let deployment = try await IAMDeployment.start(apiservers: 2, authzServers: 1, pumps: 2, postgresURL: postgres.url(database: "iam"))
            do {
                try await CompatibilityFlow(deployment: deployment).run()
            } catch {
                Issue.record(error)
            }
            await deployment.stop()
            await postgres.stop()
        }
    }
}
