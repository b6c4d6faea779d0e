// The vocabulary lives in the domain and the keyboard with the sender; re-exported for this bot's handlers.
export {
  actionLabel,
  decodeLeadAction,
  encodeLeadAction,
  LEAD_ACTIONS,
  type LeadAction,
} from "../../workers/domain/leads/lead-action-names";
export { leadActionsKeyboard } from "./telegram-actions";
