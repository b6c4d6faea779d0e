CREATE TABLE `rep_open_leads` (
	`rep_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`open_leads` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`rep_id`) REFERENCES `rep`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rep_open_leads_workspace_idx` ON `rep_open_leads` (`workspace_id`);--> statement-breakpoint
-- backfill, then the triggers that keep the counts (see db/schema/rep-open-leads.ts). drizzle-kit does not manage
-- triggers: a migration that rebuilds `lead` or `rep` must create these again. Open = new, contacted, qualified
-- (OPEN_STATUSES in workers/domain/routing/routing-context.ts). No OR IGNORE in the bodies: a trigger fired by a
-- foreign-key action runs under the outer statement's conflict policy, so rows are created only where missing.
INSERT INTO `rep_open_leads` (`rep_id`, `workspace_id`, `open_leads`)
  SELECT r.id, r.workspace_id, (SELECT count(*) FROM lead l
    WHERE l.workspace_id = r.workspace_id AND l.owner_rep_id = r.id AND l.status IN ('new', 'contacted', 'qualified'))
  FROM rep r;
--> statement-breakpoint
CREATE TRIGGER `rep_open_leads_rep_insert` AFTER INSERT ON `rep`
BEGIN
  INSERT INTO rep_open_leads (rep_id, workspace_id, open_leads)
    SELECT NEW.id, NEW.workspace_id, (SELECT count(*) FROM lead
      WHERE workspace_id = NEW.workspace_id AND owner_rep_id = NEW.id AND status IN ('new', 'contacted', 'qualified'))
    WHERE NOT EXISTS (SELECT 1 FROM rep_open_leads WHERE rep_id = NEW.id);
END;
--> statement-breakpoint
CREATE TRIGGER `rep_open_leads_lead_insert` AFTER INSERT ON `lead`
  WHEN NEW.owner_rep_id IS NOT NULL AND NEW.status IN ('new', 'contacted', 'qualified')
BEGIN
  UPDATE rep_open_leads SET open_leads = open_leads + 1 WHERE rep_id = NEW.owner_rep_id;
END;
--> statement-breakpoint
CREATE TRIGGER `rep_open_leads_lead_update` AFTER UPDATE OF `status`, `owner_rep_id` ON `lead`
  WHEN OLD.owner_rep_id IS NOT NEW.owner_rep_id
    OR (OLD.status IN ('new', 'contacted', 'qualified')) <> (NEW.status IN ('new', 'contacted', 'qualified'))
BEGIN
  UPDATE rep_open_leads SET open_leads = open_leads - 1
    WHERE rep_id = OLD.owner_rep_id AND OLD.status IN ('new', 'contacted', 'qualified');
  UPDATE rep_open_leads SET open_leads = open_leads + 1
    WHERE rep_id = NEW.owner_rep_id AND NEW.status IN ('new', 'contacted', 'qualified');
END;
--> statement-breakpoint
CREATE TRIGGER `rep_open_leads_lead_delete` AFTER DELETE ON `lead`
  WHEN OLD.owner_rep_id IS NOT NULL AND OLD.status IN ('new', 'contacted', 'qualified')
BEGIN
  UPDATE rep_open_leads SET open_leads = open_leads - 1 WHERE rep_id = OLD.owner_rep_id;
END;
