CREATE TABLE `inbound_delivery` (
	`id` text PRIMARY KEY NOT NULL,
	`channel_id` text NOT NULL,
	`channel` text NOT NULL,
	`body` text NOT NULL,
	`received_at` integer NOT NULL,
	`lease_until` integer,
	FOREIGN KEY (`channel_id`) REFERENCES `channel`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `inbound_delivery_received_idx` ON `inbound_delivery` (`received_at`);