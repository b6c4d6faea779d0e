CREATE TABLE `routing_version` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);

--> statement-breakpoint
-- backfill: the triggers that move routing_version (see db/schema/routing-version.ts). drizzle-kit does not
-- manage triggers: a migration that rebuilds one of these tables must create its triggers again. No OR IGNORE
-- in the bodies: a trigger fired by a foreign-key action (a rep deleted, its leads' owner set to NULL) runs
-- under the outer statement's conflict policy, so the row is created only where it is missing.
CREATE TRIGGER `rep_routing_insert` AFTER INSERT ON `rep`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT NEW.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = NEW.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = NEW.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `rep_routing_update` AFTER UPDATE ON `rep`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT NEW.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = NEW.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = NEW.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `rep_routing_delete` AFTER DELETE ON `rep`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT OLD.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = OLD.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = OLD.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `pool_routing_insert` AFTER INSERT ON `pool`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT NEW.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = NEW.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = NEW.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `pool_routing_update` AFTER UPDATE ON `pool`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT NEW.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = NEW.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = NEW.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `pool_routing_delete` AFTER DELETE ON `pool`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT OLD.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = OLD.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = OLD.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `pool_member_routing_insert` AFTER INSERT ON `pool_member`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT NEW.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = NEW.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = NEW.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `pool_member_routing_update` AFTER UPDATE ON `pool_member`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT NEW.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = NEW.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = NEW.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `pool_member_routing_delete` AFTER DELETE ON `pool_member`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT OLD.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = OLD.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = OLD.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_rule_routing_insert` AFTER INSERT ON `routing_rule`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT NEW.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = NEW.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = NEW.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_rule_routing_update` AFTER UPDATE ON `routing_rule`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT NEW.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = NEW.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = NEW.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_rule_routing_delete` AFTER DELETE ON `routing_rule`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT OLD.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = OLD.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = OLD.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `person_routing_insert` AFTER INSERT ON `person`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT NEW.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = NEW.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = NEW.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `person_routing_update` AFTER UPDATE OF `role`, `rep_id`, `revoked_at` ON `person`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT NEW.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = NEW.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = NEW.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `person_routing_delete` AFTER DELETE ON `person`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT OLD.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = OLD.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = OLD.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `workspace_routing_update`
  AFTER UPDATE OF `timezone`, `owner_rep_id`, `queue_hot_first`, `re_inquiry_policy` ON `workspace`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT NEW.id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = NEW.id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `lead_routing_update` AFTER UPDATE OF `status`, `owner_rep_id` ON `lead`
  WHEN OLD.`status` IS NOT NEW.`status` OR OLD.`owner_rep_id` IS NOT NEW.`owner_rep_id`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT NEW.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = NEW.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = NEW.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `lead_routing_delete` AFTER DELETE ON `lead`
BEGIN
  INSERT INTO routing_version (workspace_id, version)
    SELECT OLD.workspace_id, 0 WHERE NOT EXISTS (SELECT 1 FROM routing_version WHERE workspace_id = OLD.workspace_id);
  UPDATE routing_version SET version = version + 1 WHERE workspace_id = OLD.workspace_id;
END;
