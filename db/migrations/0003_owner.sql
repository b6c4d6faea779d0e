CREATE TABLE `scoring_rules` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`rules` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `webhook_endpoint` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`url` text NOT NULL,
	`secret` text NOT NULL,
	`events` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_endpoint_workspace_idx` ON `webhook_endpoint` (`workspace_id`);--> statement-breakpoint
ALTER TABLE `form` ADD `turnstile_site_key` text;--> statement-breakpoint
ALTER TABLE `lead` ADD `score_reasons` text;--> statement-breakpoint
ALTER TABLE `lead` ADD `hot` integer DEFAULT false NOT NULL;