import { ACTION_TYPES, DEVICE_TYPES, type ActionType } from '@lemo/domain';
import { recommender } from '@lemo/contracts';
import { presentNumber, presentString, setFieldsOf } from './proto-values';

const ACTION_BY_WIRE = new Map<number, ActionType>(Object.entries(ACTION_TYPES).map(([name, action]) => [action.wire, name as ActionType]));

/** DeviceType wire values are the domain names, upper-cased and prefixed (DEVICE_TYPE_MOBILE → mobile). */
const DEVICE_BY_WIRE = new Map<number, (typeof DEVICE_TYPES)[number]>(
  DEVICE_TYPES.map((name) => [recommender.DeviceType[`DEVICE_TYPE_${name.toUpperCase()}` as keyof typeof recommender.DeviceType], name]),
);

/**
 * A wire event as the domain's behaviour schema reads it (the schema validates it and names bad
 * fields). Unset proto3 fields are left out, so e.g. an unspecified action type is reported as
 * missing rather than guessed; an unknown enum number is passed on as is and rejected by name.
 */
export function behaviorEventInput(event: recommender.BehaviorEvent): Record<string, unknown> {
  const context = event.context ? setFieldsOf({ ...event.context, device_type: event.context.device_type ? (DEVICE_BY_WIRE.get(event.context.device_type) ?? event.context.device_type) : undefined }) : {};
  return {
    event_id: presentString(event.event_id),
    scenario_id: event.scenario_id,
    user_id: event.user_id,
    item_id: event.item_id,
    action_type: event.action_type === recommender.ActionType.ACTION_TYPE_UNSPECIFIED ? undefined : (ACTION_BY_WIRE.get(event.action_type) ?? event.action_type),
    timestamp: presentNumber(event.timestamp),
    context: Object.keys(context).length ? context : undefined,
    experiment_id: presentString(event.experiment_id),
    experiment_group: presentString(event.experiment_group),
    // position 0 (the first slot) cannot be told apart from "not sent" on the wire; both mean unknown here.
    position: presentNumber(event.position),
    scenario_data: event.scenario_data ? scenarioDataInput(event.scenario_data) : undefined,
    extra_data: event.extra_data,
  };
}

/** The one payload of the `data` oneof that is set, with only its set fields. */
function scenarioDataInput(data: recommender.ScenarioSpecificData): Record<string, unknown> | undefined {
  if (data.video_data) return { video_data: setFieldsOf(data.video_data) };
  if (data.ecommerce_data) return { ecommerce_data: setFieldsOf(data.ecommerce_data) };
  if (data.news_data) return { news_data: setFieldsOf(data.news_data) };
  if (data.music_data) return { music_data: setFieldsOf(data.music_data) };
  if (data.education_data) return { education_data: setFieldsOf(data.education_data) };
  if (data.custom_data) return { custom_data: data.custom_data };
  return undefined;
}
