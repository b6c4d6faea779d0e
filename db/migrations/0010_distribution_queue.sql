ALTER TABLE `workspace` ADD `queue_hot_first` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `pool` ADD `strategy` text DEFAULT 'weighted' NOT NULL;--> statement-breakpoint
ALTER TABLE `pool` ADD `escalation_rep_ids` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
CREATE INDEX `lead_unassigned_idx` ON `lead` (`workspace_id`,`created_at`) WHERE owner_rep_id is null and status in ('new', 'contacted', 'qualified');