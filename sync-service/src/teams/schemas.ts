import { z } from 'zod';

export const TeamKind = z.enum(['top', 'hierarchy', 'unassigned']);

const TeamFields = {
  id: z.uuid(),
  name: z.string(),
  kind: TeamKind,
  parentId: z.uuid().nullable(),
  managerUserId: z.uuid().nullable(),
  managerSetByHand: z.boolean(),
  /** Set when several members have the Manager role and one was picked for the team. */
  managerWarning: z.string().nullable(),
  /** Members of this team itself, not of its sub-teams. */
  memberCount: z.number().int(),
  sfRoleId: z.string().nullable(),
};

export const Team = z.object(TeamFields);
export type Team = z.infer<typeof Team>;

export interface TeamNode extends Team {
  children: TeamNode[];
}
export const TeamNode: z.ZodType<TeamNode> = z.object({
  ...TeamFields,
  get children() {
    return z.array(TeamNode);
  },
});

/** The hierarchy from the top-level team down, and the Unassigned group beside it. */
export const TeamTree = z.object({ top: TeamNode, unassigned: Team });

export const NewTeam = z.object({
  name: z.string().trim().min(1).max(200),
  /** Omitted: directly under the top-level team. */
  parentId: z.uuid().optional(),
});
export type NewTeam = z.output<typeof NewTeam>;

export const TeamPatch = z
  .object({
    name: z.string().trim().min(1).max(200),
    parentId: z.uuid(),
    /** A user id sets the manager by hand (the sync leaves it alone); null goes back to the derived manager. */
    managerUserId: z.uuid().nullable(),
  })
  .partial();
export type TeamPatch = z.output<typeof TeamPatch>;

export const TeamParams = z.object({ id: z.uuid() });
export const DeleteTeamQuery = z.object({ moveMembersTo: z.uuid().optional() });

export const TeamWithWarnings = Team.extend({ warnings: z.array(z.string()) });

export const MembershipHistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  cursor: z.string().max(500).optional(),
});
export const MembershipPeriod = z.object({
  userId: z.uuid(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  /** The team id the membership was recorded under (an older id when the team replaced another). */
  teamId: z.uuid(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
});
export const MembershipHistory = z.object({ items: z.array(MembershipPeriod), nextCursor: z.string().nullable() });

export const CustomTeam = z.object({
  id: z.uuid(),
  name: z.string(),
  userIds: z.array(z.uuid()),
  teamIds: z.array(z.uuid()),
  managerUserId: z.uuid().nullable(),
  viewerIds: z.array(z.uuid()),
  /** The users named by userIds, viewerIds and managerUserId, with their names for display. */
  people: z.array(z.object({ id: z.uuid(), name: z.string(), email: z.string() })),
  /** Distinct people once member teams (with their sub-teams) are expanded. */
  memberCount: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type CustomTeam = z.infer<typeof CustomTeam>;

const ids = z
  .array(z.uuid())
  .max(1000)
  .transform((l) => [...new Set(l)]);
export const NewCustomTeam = z.object({
  name: z.string().trim().min(1).max(200),
  userIds: ids.default([]),
  teamIds: ids.default([]),
  managerUserId: z.uuid().nullable().default(null),
  viewerIds: ids.default([]),
});
export type NewCustomTeam = z.output<typeof NewCustomTeam>;
export const CustomTeamPatch = z
  .object({
    name: z.string().trim().min(1).max(200),
    userIds: ids,
    teamIds: ids,
    managerUserId: z.uuid().nullable(),
    viewerIds: ids,
  })
  .partial();
export type CustomTeamPatch = z.output<typeof CustomTeamPatch>;
export const CustomTeamList = z.object({ items: z.array(CustomTeam) });

/** The most people a custom team may hold once its member teams are expanded (SPEC section 2). */
export const CUSTOM_TEAM_MAX_PEOPLE = 100;
