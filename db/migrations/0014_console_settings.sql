CREATE TABLE `webhook_delivery` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`outbox_id` text,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`status_code` integer,
	`outcome` text NOT NULL,
	`error` text,
	`attempted_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`endpoint_id`) REFERENCES `webhook_endpoint`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_delivery_endpoint_idx` ON `webhook_delivery` (`endpoint_id`,`attempted_at`);--> statement-breakpoint
ALTER TABLE `channel` ADD `last_webhook_at` integer;--> statement-breakpoint
ALTER TABLE `webhook_endpoint` ADD `previous_secret` text;--> statement-breakpoint
ALTER TABLE `webhook_endpoint` ADD `previous_secret_expires_at` integer;--> statement-breakpoint
CREATE INDEX `outbox_channel_failed_idx` ON `outbox` (`channel_id`,`updated_at`) WHERE state in ('failed', 'dead') and channel_id is not null;