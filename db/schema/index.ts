export * from "./workspace";
export * from "./api-key";
export * from "./rep";
export * from "./form";
export * from "./lead";
export * from "./lead-event";
export * from "./scoring-rules";
export * from "./webhook-endpoint";
