// Credentials of devices and gateways on the embedded MQTT broker, each with the topics it may use.
import { Type, type Static } from '@sinclair/typebox';

const TopicFilter = Type.String({
  pattern: '^gantry/v1/([a-z0-9_+-]+/)*([a-z0-9_+#-]+)$',
  maxLength: 256,
  description: 'MQTT topic filter under gantry/v1/ (+ and # wildcards)',
});

/** A device's MQTT username: a slug that may also contain dots (client ids derive from it). */
export const DeviceUsername = Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$', description: 'MQTT username of the device' });

export const MqttDevice = Type.Object({
  username: DeviceUsername,
  publish: Type.Array(TopicFilter, { minItems: 1, maxItems: 100, description: 'topics the device may publish to' }),
  subscribe: Type.Array(TopicFilter, { maxItems: 100, description: 'topics the device may subscribe to' }),
  retain: Type.Optional(Type.Boolean({ description: 'may publish retained messages (refused otherwise)' })),
  createdAt: Type.Number(),
});
export type MqttDevice = Static<typeof MqttDevice>;

export const CreateMqttDeviceRequest = Type.Object(
  {
    username: DeviceUsername,
    publish: Type.Array(TopicFilter, { minItems: 1, maxItems: 100 }),
    subscribe: Type.Optional(Type.Array(TopicFilter, { maxItems: 100 })),
    retain: Type.Optional(Type.Boolean({ description: 'allow retained messages (default: refused)' })),
  },
  { additionalProperties: false },
);
export type CreateMqttDeviceRequest = Static<typeof CreateMqttDeviceRequest>;

/** The password is shown once, in this answer; only its scrypt hash is stored. */
export const CreatedMqttDevice = Type.Object({ password: Type.String(), device: MqttDevice });
export type CreatedMqttDevice = Static<typeof CreatedMqttDevice>;
