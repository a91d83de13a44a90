import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createProfileGroupsService } from './groups.js';
import { createMatchingPreview } from './matching-preview.js';
import {
  Activity,
  ActivityPatch,
  AssignInput,
  AssignResult,
  EligibilityGroup,
  EligibilityGroupInput,
  EligibilityGroupPatch,
  EligibilityPreview,
  EligibilityState,
  MatchingPreview,
  MatchingPreviewInput,
  GroupParams,
  Notifications,
  ObjectType,
  Order,
  Profile,
  ProfileInput,
  ProfileList,
  ProfileParams,
  ProfilePatch,
  ProfileSummary,
  RankingGroup,
  RankingGroupInput,
  RankingGroupPatch,
  TypeParams,
} from './schemas.js';
import { createProfilesService } from './service.js';

const tags = ['profiles'];
const Reset = z.object({ objectType: ObjectType, state: EligibilityState, groups: z.array(EligibilityGroup) });

/** Configuration profiles: settings, eligibility and ranking groups, notifications, assignment. */
const profileRoutes: FastifyPluginAsyncZod = async (app) => {
  // The org's fields of an object, by describe, as they are now (a field created a moment ago counts); no Salesforce
  // connection yet: nothing to check against.
  const fields = async (objectType: string, orgId: string) => {
    try {
      return await app.describe.describe(orgId, objectType, { maxAgeMs: 0 });
    } catch (err) {
      if ((err as { code?: string }).code === 'salesforce_not_connected') return null;
      throw err;
    }
  };
  const profiles = createProfilesService({ db: app.db, fields });
  const groups = createProfileGroupsService({ db: app.db, fields });
  const matching = createMatchingPreview({ db: app.db, fields, connect: (orgId) => app.salesforce.forOrg(orgId) });
  const base = '/api/v1/profiles/:id';

  app.get('/api/v1/profiles', { schema: { tags, response: { 200: ProfileList } } }, (req) => profiles.list(req.org.id));
  app.post(
    '/api/v1/profiles',
    { schema: { tags, body: ProfileInput, response: { 201: Profile } } },
    async (req, reply) => reply.code(201).send(await profiles.create(req.org.id, req.actor!, req.body)),
  );
  app.get(base, { schema: { tags, params: ProfileParams, response: { 200: Profile } } }, (req) =>
    profiles.get(req.org.id, req.params.id),
  );
  app.patch(base, { schema: { tags, params: ProfileParams, body: ProfilePatch, response: { 200: Profile } } }, (req) =>
    profiles.update(req.org.id, req.actor!, req.params.id, req.body),
  );
  app.delete(base, { schema: { tags, params: ProfileParams } }, async (req, reply) => {
    await profiles.remove(req.org.id, req.actor!, req.params.id);
    return reply.code(204).send();
  });
  app.get(`${base}/summary`, { schema: { tags, params: ProfileParams, response: { 200: ProfileSummary } } }, (req) =>
    profiles.summary(req.org.id, req.params.id),
  );
  app.post(
    `${base}/assign`,
    { schema: { tags, params: ProfileParams, body: AssignInput, response: { 200: AssignResult } } },
    (req) => profiles.assign(req.org.id, req.actor!, req.params.id, req.body),
  );
  app.put(
    `${base}/activity`,
    { schema: { tags, params: ProfileParams, body: ActivityPatch, response: { 200: Activity } } },
    (req) => profiles.setActivity(req.org.id, req.actor!, req.params.id, req.body),
  );
  app.put(
    `${base}/notifications`,
    { schema: { tags, params: ProfileParams, body: Notifications, response: { 200: Notifications } } },
    (req) => profiles.setNotifications(req.org.id, req.actor!, req.params.id, req.body),
  );

  app.post(
    `${base}/eligibility-groups`,
    { schema: { tags, params: ProfileParams, body: EligibilityGroupInput, response: { 201: EligibilityGroup } } },
    async (req, reply) =>
      reply.code(201).send(await groups.addEligibilityGroup(req.org.id, req.actor!, req.params.id, req.body)),
  );
  app.patch(
    `${base}/eligibility-groups/:groupId`,
    { schema: { tags, params: GroupParams, body: EligibilityGroupPatch, response: { 200: EligibilityGroup } } },
    (req) => groups.updateEligibilityGroup(req.org.id, req.actor!, req.params.id, req.params.groupId, req.body),
  );
  app.delete(`${base}/eligibility-groups/:groupId`, { schema: { tags, params: GroupParams } }, async (req, reply) => {
    await groups.removeEligibilityGroup(req.org.id, req.actor!, req.params.id, req.params.groupId);
    return reply.code(204).send();
  });
  app.post(
    `${base}/eligibility/:objectType/reset`,
    { schema: { tags, params: TypeParams, response: { 200: Reset } } },
    (req) => groups.resetEligibility(req.org.id, req.actor!, req.params.id, req.params.objectType),
  );
  app.get(
    `${base}/eligibility-preview`,
    { schema: { tags, params: ProfileParams, response: { 200: EligibilityPreview } } },
    (req) =>
      groups.eligibilityPreview(req.org.id, req.params.id, async () => (await app.salesforce.forOrg(req.org.id)).conn),
  );
  app.post(
    `${base}/matching-preview`,
    { schema: { tags, params: ProfileParams, body: MatchingPreviewInput, response: { 200: MatchingPreview } } },
    (req) => matching.preview(req.org.id, req.params.id, req.body),
  );

  app.post(
    `${base}/ranking-groups`,
    { schema: { tags, params: ProfileParams, body: RankingGroupInput, response: { 201: RankingGroup } } },
    async (req, reply) =>
      reply.code(201).send(await groups.addRankingGroup(req.org.id, req.actor!, req.params.id, req.body)),
  );
  // Registered before /:groupId so "order" is never read as a group id.
  app.put(
    `${base}/ranking-groups/order`,
    { schema: { tags, params: ProfileParams, body: Order, response: { 200: z.array(RankingGroup) } } },
    (req) => groups.orderRankingGroups(req.org.id, req.actor!, req.params.id, req.body.ids),
  );
  app.patch(
    `${base}/ranking-groups/:groupId`,
    { schema: { tags, params: GroupParams, body: RankingGroupPatch, response: { 200: RankingGroup } } },
    (req) => groups.updateRankingGroup(req.org.id, req.actor!, req.params.id, req.params.groupId, req.body),
  );
  app.delete(`${base}/ranking-groups/:groupId`, { schema: { tags, params: GroupParams } }, async (req, reply) => {
    await groups.removeRankingGroup(req.org.id, req.actor!, req.params.id, req.params.groupId);
    return reply.code(204).send();
  });
};

export default profileRoutes;
