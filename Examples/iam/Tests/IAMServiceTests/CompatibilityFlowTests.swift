import Foundation
import StratusHTTP
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
            flow.between = { point in Self.killOneReplica(of: deployment, at: point) }
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

        /// Runs the flow with change events and audit records on the control
        /// plane's event bus instead of the HTTP feed and the pump's route.
        @Test func flowPassesOverTheEventBus() async throws {
            let deployment = try await IAMDeployment.start(usesEventBus: true)
            do {
                try await CompatibilityFlow(deployment: deployment).run()
                let (response, body) = try await deployment.http.execute(
                    HTTPClientRequest(url: deployment.controlPlaneURL + "/api/v1/events/topics"), collectingUpTo: 1 << 20
                )
                let topics = String(decoding: body, as: UTF8.self)
                #expect(response.status == .ok)
                #expect(topics.contains("\"iam.changes\""), "\(topics)")
                #expect(topics.contains("\"iam.audit\""), "\(topics)")
                #expect(topics.contains("\"iam-pump\""), "\(topics)")
            } catch {
                Issue.record(error)
            }
            await deployment.stop()
        }

        /// Kills one replica of each service midway while the services talk
        /// through the event bus: a killed relay leader or pump hands its
        /// work to the survivor.
        @Test func eventBusFlowSurvivesKilledReplicas() async throws {
            let deployment = try await IAMDeployment.start(apiservers: 2, authzServers: 2, pumps: 2, usesEventBus: true)
            var flow = CompatibilityFlow(deployment: deployment)
            flow.between = { point in Self.killOneReplica(of: deployment, at: point) }
            do {
                try await flow.run()
            } catch {
                Issue.record(error)
            }
            await deployment.stop()
        }

        /// Kills the first replica of the API server after the login, of
        /// the authorization server after the secrets, and of the pump after
        /// the policies.
        static func killOneReplica(of deployment: IAMDeployment, at point: String) {
            switch point {
            case "logged in": deployment.kill(deployment.replicas(of: "iam-apiserver")[0])
            case "secrets done": deployment.kill(deployment.replicas(of: "iam-authz-server")[0])
            case "policies done": deployment.kill(deployment.replicas(of: "iam-pump")[0])
            default: break
            }
        }
    }
}
