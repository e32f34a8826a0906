// Administration of users, machine API tokens and MQTT device credentials (admins only).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  ApiToken, CreateMqttDeviceRequest, CreateTokenRequest, CreateUserRequest, CreatedMqttDevice, CreatedToken, ErrorBody,
  MqttDevice, Ok, Page, PageQuery, UpdateUserRequest, User, paginate,
} from '../../contracts/index.js';
import type { AuthStore } from '../auth/auth-store.js';
import { HttpError } from '../auth/guard.js';
import type { MqttDevices } from '../auth/mqtt-devices.js';
import type { Principal } from '../auth/principal.js';
import { UsernameParams } from './auth.js';
import { AUDIENCE } from '../../contracts/auth.js';

export interface UserRouteDeps { auth: AuthStore; devices: MqttDevices | undefined }

const ADMIN = AUDIENCE.admins;
const errors = { '4xx': ErrorBody };
const TokenParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{12}$' }) });

export const userRoutes: FastifyPluginAsyncTypebox<UserRouteDeps> = async (app, deps) => {
  const tags = ['admin'];
  app.get('/api/users', { config: { roles: ADMIN }, schema: { tags, querystring: PageQuery, response: { 200: Page(User), ...errors } } },
    async (req) => paginate(deps.auth.listUsers(), req.query));

  app.post('/api/users', { config: { roles: ADMIN }, schema: { tags, body: CreateUserRequest, response: { 201: User, ...errors } } },
    async (req, reply) => {
      req.auditTarget = req.body.username;
      return reply.code(201).send(await deps.auth.createUser(req.body));
    });

  app.patch('/api/users/:username', { config: { roles: ADMIN }, schema: { tags, params: UsernameParams, body: UpdateUserRequest, response: { 200: User, ...errors } } },
    async (req) => deps.auth.updateUser(req.params.username, req.body));

  app.delete('/api/users/:username', { config: { roles: ADMIN }, schema: { tags, params: UsernameParams, response: { 200: Ok, ...errors } } },
    async (req) => {
      await deps.auth.deleteUser(req.params.username);
      return { ok: true as const };
    });

  app.get('/api/tokens', { config: { roles: ADMIN }, schema: { tags, querystring: PageQuery, response: { 200: Page(ApiToken), ...errors } } },
    async (req) => paginate(deps.auth.listTokens(), req.query));

  app.post('/api/tokens', { config: { roles: ADMIN }, schema: { tags, summary: 'Create an API token; the secret is in this answer only', body: CreateTokenRequest, response: { 201: CreatedToken, ...errors } } },
    async (req, reply) => {
      const created = await deps.auth.createToken(req.body, (req.principal as Principal).actor);
      req.auditTarget = created.info.id;
      return reply.code(201).send(created);
    });

  app.delete('/api/tokens/:id', { config: { roles: ADMIN }, schema: { tags, summary: 'Revoke an API token', params: TokenParams, response: { 200: ApiToken, ...errors } } },
    async (req) => deps.auth.revokeToken(req.params.id));

  const devices = (): MqttDevices => {
    if (!deps.devices) throw new HttpError(409, 'MQTT device credentials apply to the embedded broker only (mqtt.url is set)', 'external_broker');
    return deps.devices;
  };
  app.get('/api/mqtt/devices', { config: { roles: ADMIN }, schema: { tags, querystring: PageQuery, response: { 200: Page(MqttDevice), ...errors } } },
    async (req) => paginate(devices().list(), req.query));

  app.post('/api/mqtt/devices', { config: { roles: ADMIN }, schema: { tags, summary: 'Create a device/gateway credential; the password is in this answer only', body: CreateMqttDeviceRequest, response: { 201: CreatedMqttDevice, ...errors } } },
    async (req, reply) => {
      req.auditTarget = req.body.username;
      return reply.code(201).send(await devices().create(req.body));
    });

  app.delete('/api/mqtt/devices/:username', { config: { roles: ADMIN }, schema: { tags, params: UsernameParams, response: { 200: Ok, ...errors } } },
    async (req) => {
      await devices().remove(req.params.username);
      return { ok: true as const };
    });
};
