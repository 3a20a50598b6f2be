import GatewayKit
import Logging
import PostgresNIO

extension PostgresGatewayStore {
    // Listens on a connection of its own until cancelled. The first LISTEN makes the store ready;
    // after any later one, listeners get `.everything`, since notifications sent while the
    // connection was down are lost. Reconnects with doubling pauses, reset once listening.
    func followNotifications() async {
        var delay = configuration.reconnectDelay
        var hasListened = false
        while !Task.isCancelled {
            do {
                try await listenOnce {
                    if hasListened {
                        logger.info("change feed reconnected; reporting a full reload")
                        subscribers.publish(.everything)
                    } else {
                        lifecycle.markReady()
                    }
                    hasListened = true
                    delay = configuration.reconnectDelay
                }
                if Task.isCancelled { return }
                logger.info("change feed connection ended; reconnecting")
            } catch {
                if Task.isCancelled { return }
                logger.info(
                    "change feed connection failed; reconnecting",
                    metadata: ["gateway.error": "\(String(reflecting: error))", "gateway.retry_in": "\(delay)"])
            }
            do {
                try await Task.sleep(for: delay)
            } catch {
                return
            }
            delay = min(delay * 2, configuration.maximumReconnectDelay)
        }
    }

    // Connects, listens and forwards notifications until the connection ends or the task is
    // cancelled; `listening` runs once LISTEN is in place, before any notification is read.
    private func listenOnce(listening: () -> Void) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try configuration.connectionConfiguration(), id: 1, logger: logger)
        do {
            try await withTaskCancellationHandler {
                try await connection.listen(on: StoreChange.notificationChannel) { notifications in
                    listening()
                    for try await notification in notifications {
                        subscribers.publish(StoreChange(notificationPayload: notification.payload))
                    }
                }
            } onCancel: {
                // Waiting for a notification does not end on cancellation by itself; closing does.
                Self.close(connection)
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }

    static func close(_ connection: PostgresConnection) {
        let _: EventLoopFuture<Void> = connection.close()
    }
}
