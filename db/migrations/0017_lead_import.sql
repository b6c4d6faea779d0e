CREATE TABLE `import_row` (
	`job_id` text NOT NULL,
	`row_no` integer NOT NULL,
	`workspace_id` text NOT NULL,
	`cells` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`lead_id` text,
	`reason` text,
	PRIMARY KEY(`job_id`, `row_no`),
	FOREIGN KEY (`job_id`) REFERENCES `import_job`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_row_state_idx` ON `import_row` (`job_id`,`state`,`row_no`);--> statement-breakpoint
CREATE TABLE `import_job` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`file_name` text NOT NULL,
	`header` text NOT NULL,
	`mapping` text,
	`owner_rep_id` text,
	`notify` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'mapping' NOT NULL,
	`total_rows` integer NOT NULL,
	`imported` integer DEFAULT 0 NOT NULL,
	`merged` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`lease_until` integer,
	`created_by` text,
	`started_at` integer,
	`finished_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_job_workspace_idx` ON `import_job` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `import_job_running_idx` ON `import_job` (`status`) WHERE status = 'running';