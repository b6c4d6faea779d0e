CREATE TABLE `pool` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`sla_minutes` integer DEFAULT 15 NOT NULL,
	`hot_sla_minutes` integer DEFAULT 5 NOT NULL,
	`max_reassignments` integer DEFAULT 2 NOT NULL,
	`fallback_rep_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`fallback_rep_id`) REFERENCES `rep`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `pool_workspace_idx` ON `pool` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `pool_member` (
	`pool_id` text NOT NULL,
	`rep_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	PRIMARY KEY(`pool_id`, `rep_id`),
	FOREIGN KEY (`pool_id`) REFERENCES `pool`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`rep_id`) REFERENCES `rep`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pool_member_workspace_idx` ON `pool_member` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `routing_rule` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`match` text NOT NULL,
	`pool_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`pool_id`) REFERENCES `pool`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `routing_rule_workspace_position_idx` ON `routing_rule` (`workspace_id`,`position`);--> statement-breakpoint
ALTER TABLE `workspace` ADD `owner_rep_id` text;--> statement-breakpoint
ALTER TABLE `rep` ADD `working_hours` text;--> statement-breakpoint
ALTER TABLE `rep` ADD `vacations` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `lead` ADD `pool_id` text;--> statement-breakpoint
ALTER TABLE `lead` ADD `sla_due_at` integer;--> statement-breakpoint
ALTER TABLE `lead` ADD `reassign_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `lead` ADD `passed_rep_ids` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `lead` ADD `claimed_at` integer;--> statement-breakpoint
ALTER TABLE `lead` ADD `escalated_at` integer;--> statement-breakpoint
CREATE INDEX `lead_sla_due_idx` ON `lead` (`sla_due_at`) WHERE sla_due_at is not null;