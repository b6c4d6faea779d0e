ALTER TABLE `sequence` ADD `stop_on_reply` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `sequence` ADD `stop_on_rep_response` integer DEFAULT true NOT NULL;