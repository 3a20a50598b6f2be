// The SQLite store lives in this module.
import GatewayKit
