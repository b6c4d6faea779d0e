CREATE TABLE `lead_identity` (
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`address` text NOT NULL,
	`lead_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `kind`, `address`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lead_id`) REFERENCES `lead`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lead_identity_lead_idx` ON `lead_identity` (`lead_id`);--> statement-breakpoint
-- backfill
INSERT INTO `lead_identity` (`workspace_id`, `kind`, `address`, `lead_id`, `created_at`)
  SELECT `workspace_id`, 'telegram', `telegram_user_id`, `id`, `created_at` FROM `lead`
  WHERE `telegram_user_id` IS NOT NULL AND `telegram_user_id` <> '' ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO `lead_identity` (`workspace_id`, `kind`, `address`, `lead_id`, `created_at`)
  SELECT `workspace_id`, 'whatsapp', `whatsapp_id`, `id`, `created_at` FROM `lead`
  WHERE `whatsapp_id` IS NOT NULL AND `whatsapp_id` <> '' ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO `lead_identity` (`workspace_id`, `kind`, `address`, `lead_id`, `created_at`)
  SELECT `workspace_id`, 'whatsapp-user', `whatsapp_user_id`, `id`, `created_at` FROM `lead`
  WHERE `whatsapp_user_id` IS NOT NULL AND `whatsapp_user_id` <> '' ON CONFLICT DO NOTHING;
