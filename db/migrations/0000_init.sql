CREATE TABLE `workspace` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`default_country` text DEFAULT 'US' NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `api_key` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_key_hash_unique` ON `api_key` (`hash`);--> statement-breakpoint
CREATE INDEX `api_key_workspace_idx` ON `api_key` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `rep` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`phone` text,
	`telegram_chat_id` text,
	`whatsapp_phone` text,
	`active` integer DEFAULT true NOT NULL,
	`paused` integer DEFAULT false NOT NULL,
	`weight` integer DEFAULT 1 NOT NULL,
	`max_open_leads` integer,
	`timezone` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rep_workspace_idx` ON `rep` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `form` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`public_key` text NOT NULL,
	`name` text NOT NULL,
	`fields` text NOT NULL,
	`allowed_origins` text NOT NULL,
	`honeypot_field` text DEFAULT 'company_website' NOT NULL,
	`success_message` text DEFAULT 'Thanks! We will be in touch shortly.' NOT NULL,
	`redirect_url` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `form_public_key_unique` ON `form` (`public_key`);--> statement-breakpoint
CREATE INDEX `form_workspace_idx` ON `form` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `lead` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`form_id` text,
	`source` text NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`name` text,
	`phone` text,
	`email` text,
	`telegram_user_id` text,
	`whatsapp_id` text,
	`message` text,
	`fields` text NOT NULL,
	`utm_source` text,
	`utm_medium` text,
	`utm_campaign` text,
	`utm_term` text,
	`utm_content` text,
	`referrer` text,
	`page_url` text,
	`owner_rep_id` text,
	`score` integer,
	`notes` text,
	`assigned_at` integer,
	`first_response_at` integer,
	`last_inbound_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`form_id`) REFERENCES `form`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`owner_rep_id`) REFERENCES `rep`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lead_workspace_phone_uq` ON `lead` (`workspace_id`,`phone`) WHERE phone is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `lead_workspace_email_uq` ON `lead` (`workspace_id`,`email`) WHERE email is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `lead_workspace_telegram_uq` ON `lead` (`workspace_id`,`telegram_user_id`) WHERE telegram_user_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `lead_workspace_whatsapp_uq` ON `lead` (`workspace_id`,`whatsapp_id`) WHERE whatsapp_id is not null;--> statement-breakpoint
CREATE INDEX `lead_workspace_created_idx` ON `lead` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `lead_workspace_status_created_idx` ON `lead` (`workspace_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `lead_workspace_owner_status_idx` ON `lead` (`workspace_id`,`owner_rep_id`,`status`);--> statement-breakpoint
CREATE TABLE `lead_event` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`type` text NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`data` text NOT NULL,
	`dedup_key` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lead_id`) REFERENCES `lead`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lead_event_lead_created_idx` ON `lead_event` (`lead_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `lead_event_dedup_uq` ON `lead_event` (`workspace_id`,`dedup_key`) WHERE dedup_key is not null;