import { AppError } from "../errors";
import type { PickRequest, PickResult, Rotation } from "./rotation-do";

/** How domain verbs reach the rotation; tests and scripts can hand in their own. */
export interface RotationService {
  pick(workspaceId: string, poolId: string | null, request: PickRequest): Promise<PickResult>;
  /** Who the rotation would pick now, without advancing it. */
  peek(workspaceId: string, poolId: string | null, request: Omit<PickRequest, "assignmentKey">): Promise<string | null>;
  /** Hands back the turn picked under this key, unused (see Rotation.release). */
  release(workspaceId: string, poolId: string | null, assignmentKey: string): Promise<boolean>;
}

/** The instance name: one rotation per workspace + pool; the implicit default pool is "default". */
export const rotationName = (workspaceId: string, poolId: string | null) => `${workspaceId}:${poolId ?? "default"}`;

export function rotationService(namespace: DurableObjectNamespace<Rotation> | undefined): RotationService {
  const stubFor = (workspaceId: string, poolId: string | null) => {
    if (!namespace) throw new AppError("BAD_ENVIRONMENT", "The ROTATION Durable Object binding is missing.");
    return namespace.get(namespace.idFromName(rotationName(workspaceId, poolId)));
  };
  return {
    async pick(workspaceId, poolId, request) {
      return stubFor(workspaceId, poolId).pick(request);
    },
    async peek(workspaceId, poolId, request) {
      return stubFor(workspaceId, poolId).peek(request);
    },
    async release(workspaceId, poolId, assignmentKey) {
      return stubFor(workspaceId, poolId).release(assignmentKey);
    },
  };
}
