ALTER TABLE `workspace` ADD `re_inquiry_policy` text DEFAULT 'reopen' NOT NULL;--> statement-breakpoint
ALTER TABLE `workspace` ADD `failed_step_policy` text DEFAULT 'stop' NOT NULL;