import { recommender, recommenderCommon } from './index';

/** Bytes of a message, as hex, to pin field numbers and wire types of the contract. */
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('generated stubs keep the wire format of the contract', () => {
  it('encodes fields under their contract numbers', () => {
    // Item.item_id is field 4, length-delimited: tag (4 << 3 | 2) = 0x22.
    expect(hex(recommender.Item.encode(recommender.Item.fromPartial({ item_id: 'x' })).finish())).toBe('220178');
    // BehaviorEvent.action_type is field 5, varint: tag 0x28; ACTION_TYPE_PURCHASE is 33 (0x21).
    expect(hex(recommender.BehaviorEvent.encode(recommender.BehaviorEvent.fromPartial({ action_type: recommender.ActionType.ACTION_TYPE_PURCHASE })).finish())).toBe('2821');
    // ErrorDetail.code is field 1: ERROR_CODE_SCENARIO_NOT_FOUND is 2000 (varint d00f).
    expect(hex(recommenderCommon.ErrorDetail.encode(recommenderCommon.ErrorDetail.fromPartial({ code: recommenderCommon.ErrorCode.ERROR_CODE_SCENARIO_NOT_FOUND })).finish())).toBe('08d00f');
  });

  it('carries the scenario data oneof, Struct payloads included, through a round trip', () => {
    const event = recommender.BehaviorEvent.fromPartial({
      scenario_data: { custom_data: { mood: 'happy', depth: 2 } },
      extra_data: { campaign: 'spring' },
    });
    const bytes = recommender.BehaviorEvent.encode(event).finish();
    // custom_data is field 99 of ScenarioSpecificData, itself field 12 of the event.
    expect(hex(bytes).startsWith('62')).toBe(true);
    const decoded = recommender.BehaviorEvent.decode(bytes);
    expect(decoded.scenario_data?.custom_data).toEqual({ mood: 'happy', depth: 2 });
    expect(decoded.scenario_data?.video_data).toBeUndefined();
    expect(decoded.extra_data).toEqual({ campaign: 'spring' });
  });

  it('keeps the presence of ListTemplatesRequest.is_system (proto3 optional)', () => {
    const unset = recommender.ListTemplatesRequest.decode(recommender.ListTemplatesRequest.encode(recommender.ListTemplatesRequest.fromPartial({})).finish());
    const falseSet = recommender.ListTemplatesRequest.decode(recommender.ListTemplatesRequest.encode(recommender.ListTemplatesRequest.fromPartial({ is_system: false })).finish());
    expect(unset.is_system).toBeUndefined();
    expect(falseSet.is_system).toBe(false);
  });
});
