CREATE TABLE `whatsapp_inbound` (
	`channel_id` text NOT NULL,
	`message_id` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `message_id`),
	FOREIGN KEY (`channel_id`) REFERENCES `channel`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `whatsapp_status` (
	`channel_id` text NOT NULL,
	`message_id` text NOT NULL,
	`status` text NOT NULL,
	`status_at` integer NOT NULL,
	`errors` text,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `message_id`, `status`),
	FOREIGN KEY (`channel_id`) REFERENCES `channel`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `whatsapp_window` (
	`channel_id` text NOT NULL,
	`address` text NOT NULL,
	`last_inbound_at` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `address`),
	FOREIGN KEY (`channel_id`) REFERENCES `channel`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `consent_event` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`action` text NOT NULL,
	`source` text NOT NULL,
	`address` text,
	`message_id` text,
	`text` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lead_id`) REFERENCES `lead`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `consent_event_lead_idx` ON `consent_event` (`lead_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `consent_event_message_uq` ON `consent_event` (`workspace_id`,`message_id`) WHERE message_id is not null;--> statement-breakpoint
ALTER TABLE `lead` ADD `whatsapp_user_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `lead_workspace_whatsapp_user_uq` ON `lead` (`workspace_id`,`whatsapp_user_id`) WHERE whatsapp_user_id is not null;--> statement-breakpoint
ALTER TABLE `outbox` ADD `delivery_status` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `delivery_status_at` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `delivery_error` text;--> statement-breakpoint
CREATE INDEX `outbox_provider_message_idx` ON `outbox` (`provider_message_id`) WHERE provider_message_id is not null;