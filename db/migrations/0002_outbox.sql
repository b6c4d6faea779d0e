CREATE TABLE `channel` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`config` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `channel_workspace_kind_idx` ON `channel` (`workspace_id`,`kind`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`lead_id` text,
	`kind` text NOT NULL,
	`sender` text NOT NULL,
	`channel_id` text,
	`recipient` text NOT NULL,
	`payload` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`due_at` integer NOT NULL,
	`lease_until` integer,
	`last_error` text,
	`provider_message_id` text,
	`sent_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lead_id`) REFERENCES `lead`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`channel_id`) REFERENCES `channel`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_idempotency_key_unique` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_pending_due_idx` ON `outbox` (`due_at`) WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX `outbox_lead_idx` ON `outbox` (`lead_id`);--> statement-breakpoint
CREATE TABLE `suppression` (
	`workspace_id` text NOT NULL,
	`sender` text NOT NULL,
	`address` text NOT NULL,
	`reason` text NOT NULL,
	`detail` text,
	`lead_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `sender`, `address`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sequence` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`form_id` text,
	`source` text,
	`pool_id` text,
	`quiet_start` text DEFAULT '21:00',
	`quiet_end` text DEFAULT '08:00',
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`form_id`) REFERENCES `form`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`pool_id`) REFERENCES `pool`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sequence_workspace_active_idx` ON `sequence` (`workspace_id`,`active`);--> statement-breakpoint
CREATE TABLE `sequence_enrollment` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`sequence_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`next_position` integer DEFAULT 1 NOT NULL,
	`next_due_at` integer,
	`state` text DEFAULT 'active' NOT NULL,
	`stop_reason` text,
	`enrolled_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sequence_id`) REFERENCES `sequence`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lead_id`) REFERENCES `lead`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sequence_enrollment_lead_uq` ON `sequence_enrollment` (`sequence_id`,`lead_id`);--> statement-breakpoint
CREATE INDEX `sequence_enrollment_due_idx` ON `sequence_enrollment` (`next_due_at`) WHERE state = 'active';--> statement-breakpoint
CREATE INDEX `sequence_enrollment_lead_idx` ON `sequence_enrollment` (`lead_id`);--> statement-breakpoint
CREATE TABLE `sequence_step` (
	`id` text PRIMARY KEY NOT NULL,
	`sequence_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`position` integer NOT NULL,
	`delay_minutes` integer NOT NULL,
	`sender` text NOT NULL,
	`text` text,
	`subject` text,
	`template` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`sequence_id`) REFERENCES `sequence`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sequence_step_position_uq` ON `sequence_step` (`sequence_id`,`position`);--> statement-breakpoint
ALTER TABLE `form` ADD `auto_reply_text` text;--> statement-breakpoint
ALTER TABLE `form` ADD `auto_reply_subject` text;--> statement-breakpoint
ALTER TABLE `lead` ADD `opted_out_at` integer;