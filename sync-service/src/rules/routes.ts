import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ReapplyInput,
  ReapplyPreview,
  ReapplyResult,
  Rule,
  RuleInput,
  RuleList,
  RuleOrder,
  RuleParams,
  RulePatch,
  SimulateInput,
  Simulation,
} from './schemas.js';
import { createRulesService } from './service.js';
import { createReapplyService } from './reapply.js';
import { createRuleSimulator } from './simulator.js';

const tags = ['rules'];

/** User Settings Rules: ordered first-match rules for users the automatic sync creates, with a simulator. */
const ruleRoutes: FastifyPluginAsyncZod = async (app) => {
  const rules = createRulesService({ db: app.db });
  const simulator = createRuleSimulator({ db: app.db });
  const reapply = createReapplyService({ db: app.db });

  app.get('/api/v1/rules', { schema: { tags, response: { 200: RuleList } } }, (req) => rules.list(req.org.id));
  app.post('/api/v1/rules', { schema: { tags, body: RuleInput, response: { 201: Rule } } }, async (req, reply) =>
    reply.code(201).send(await rules.create(req.org.id, req.actor!, req.body)),
  );
  // Static paths before /:id.
  app.put('/api/v1/rules/order', { schema: { tags, body: RuleOrder, response: { 200: RuleList } } }, (req) =>
    rules.order(req.org.id, req.actor!, req.body.ids),
  );
  // A simulation changes nothing, but it is a POST (it carries draft rules), so it needs an admin like any POST.
  app.post('/api/v1/rules/simulate', { schema: { tags, body: SimulateInput, response: { 200: Simulation } } }, (req) =>
    simulator.simulate(req.org.id, req.body),
  );
  app.post('/api/v1/rules/reapply/preview', { schema: { tags, response: { 200: ReapplyPreview } } }, (req) =>
    reapply.preview(req.org.id, req.actor!),
  );
  app.post('/api/v1/rules/reapply', { schema: { tags, body: ReapplyInput, response: { 200: ReapplyResult } } }, (req) =>
    reapply.apply(req.org.id, req.actor!, req.body.previewToken, req.body.excludeUserIds),
  );
  app.patch(
    '/api/v1/rules/:id',
    { schema: { tags, params: RuleParams, body: RulePatch, response: { 200: Rule } } },
    (req) => rules.update(req.org.id, req.actor!, req.params.id, req.body),
  );
  app.delete('/api/v1/rules/:id', { schema: { tags, params: RuleParams } }, async (req, reply) => {
    await rules.remove(req.org.id, req.actor!, req.params.id);
    return reply.code(204).send();
  });
};

export default ruleRoutes;
