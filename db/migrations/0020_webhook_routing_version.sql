-- A capture on a cached routing context (workers/domain/routing/routing-cache.ts) writes a lead's webhook rows only
-- for the events the workspace's active endpoints take, as that context read them: an endpoint added, changed or
-- removed moves routing_version like the other rows the context holds, so no capture writes on a stale list.
CREATE TRIGGER `webhook_endpoint_routing_insert` AFTER INSERT ON `webhook_endpoint`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT NEW.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = NEW.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = NEW.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `webhook_endpoint_routing_update` AFTER UPDATE OF `events`, `active`, `workspace_id` ON `webhook_endpoint`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT NEW.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = NEW.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = NEW.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `webhook_endpoint_routing_delete` AFTER DELETE ON `webhook_endpoint`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT OLD.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = OLD.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = OLD.workspace_id;
END;
