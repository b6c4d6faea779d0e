CREATE TABLE `telegram_conversation` (
	`channel_id` text NOT NULL,
	`chat_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`step` text,
	`later` text NOT NULL,
	`last_update_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `chat_id`),
	FOREIGN KEY (`channel_id`) REFERENCES `channel`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lead_id`) REFERENCES `lead`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `telegram_conversation_lead_idx` ON `telegram_conversation` (`lead_id`);