CREATE TABLE `person` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`email` text,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`rep_id` text,
	`password_hash` text,
	`invite_hash` text,
	`invite_expires_at` integer,
	`code_hash` text,
	`code_expires_at` integer,
	`revoked_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`rep_id`) REFERENCES `rep`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `person_email_uq` ON `person` (`email`) WHERE email is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `person_invite_uq` ON `person` (`invite_hash`) WHERE invite_hash is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `person_owner_uq` ON `person` (`workspace_id`) WHERE role = 'owner';--> statement-breakpoint
CREATE INDEX `person_workspace_idx` ON `person` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `session` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`person_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`user_agent` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `session_person_idx` ON `session` (`person_id`);--> statement-breakpoint
CREATE TABLE `auth_throttle` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `workspace` ADD `reps_see_unassigned` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `api_key` ADD `scope` text DEFAULT 'write' NOT NULL;--> statement-breakpoint
ALTER TABLE `api_key` ADD `created_by_person_id` text;--> statement-breakpoint
ALTER TABLE `api_key` ADD `created_by_key_id` text;