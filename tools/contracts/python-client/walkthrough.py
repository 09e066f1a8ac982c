"""A client of the gRPC contract built by a second toolchain (grpcio-tools), against a running server.

Creates a scenario, batch-creates items, tracks events with scenario-specific data and asks for
recommendations, then checks that a bad request fails with INVALID_ARGUMENT and an ErrorDetail naming
the field. Usage: python walkthrough.py STUBS_DIR ADDRESS API_KEY  (stubs from grpc_tools.protoc).
"""

import sys
import uuid

import grpc
from google.protobuf import struct_pb2


def struct(values):
    message = struct_pb2.Struct()
    message.update(values)
    return message


def main(stubs_dir, address, api_key):
    sys.path.insert(0, stubs_dir)
    from recommender.v1 import behavior_pb2, behavior_pb2_grpc, item_pb2, item_pb2_grpc
    from recommender.v1 import recommendation_pb2, recommendation_pb2_grpc, scenario_pb2, scenario_pb2_grpc
    from recommender_common.v1 import error_pb2

    metadata = (("x-api-key", api_key), ("x-request-id", "python-walkthrough"))
    scenario_id = "py_" + uuid.uuid4().hex[:8]
    with grpc.insecure_channel(address) as channel:
        scenarios = scenario_pb2_grpc.ScenarioServiceStub(channel)
        items = item_pb2_grpc.ItemServiceStub(channel)
        behaviors = behavior_pb2_grpc.BehaviorServiceStub(channel)
        recommendations = recommendation_pb2_grpc.RecommendationServiceStub(channel)

        created = scenarios.CreateScenario(
            scenario_pb2.CreateScenarioRequest(scenario_id=scenario_id, name="Python shop", scenario_type="ecommerce"), metadata=metadata, timeout=10
        )
        assert created.scenario.scenario_id == scenario_id, created

        inputs = [
            item_pb2.BatchCreateItemsRequest.ItemInput(item_id=f"sku_{n}", metadata=struct({"title": f"Product {n}", "category": "shoes" if n % 2 else "hats"}))
            for n in range(6)
        ]
        batch = items.BatchCreateItems(item_pb2.BatchCreateItemsRequest(scenario_id=scenario_id, items=inputs), metadata=metadata, timeout=10)
        assert (batch.success_count, batch.failed_count) == (6, 0), batch

        def event(user, item, action, **data):
            return behavior_pb2.BehaviorEvent(scenario_id=scenario_id, user_id=user, item_id=item, action_type=action, scenario_data=behavior_pb2.ScenarioSpecificData(**data))

        events = [
            event("u1", "sku_1", behavior_pb2.ACTION_TYPE_CLICK, ecommerce_data=behavior_pb2.EcommerceScenarioData(price=19.5, currency="EUR", quantity=1)),
            event("u2", "sku_1", behavior_pb2.ACTION_TYPE_PURCHASE, ecommerce_data=behavior_pb2.EcommerceScenarioData(price=19.5, currency="EUR", quantity=2)),
            event("u2", "sku_3", behavior_pb2.ACTION_TYPE_PLAY, video_data=behavior_pb2.VideoScenarioData(duration=60, watch_duration=30, completion_rate=0.5)),
            event("u3", "sku_3", behavior_pb2.ACTION_TYPE_LIKE, custom_data=struct({"mood": "happy"})),
        ]
        tracked = behaviors.TrackBatch(behavior_pb2.TrackBatchRequest(events=events), metadata=metadata, timeout=10)
        assert tracked.success and tracked.succeeded == 4, tracked

        response = recommendations.GetRecommendations(
            recommendation_pb2.GetRecommendationsRequest(scenario_id=scenario_id, user_id="u1", count=3), metadata=metadata, timeout=10
        )
        assert 0 < response.count == len(response.items) <= 3, response
        assert response.request_id, response

        try:
            scenarios.CreateScenario(scenario_pb2.CreateScenarioRequest(scenario_id="py_bad", name="Bad", scenario_type="spaceship"), metadata=metadata, timeout=10)
            raise AssertionError("a bad scenario_type was accepted")
        except grpc.RpcError as error:
            assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error
            details = [error_pb2.ErrorDetail.FromString(value) for key, value in error.trailing_metadata() if key == "lemo-error-detail-bin"]
            assert details and details[0].field == "scenario_type", details

    print(f"python client ok: scenario {scenario_id}, {batch.success_count} items, {tracked.succeeded} events, recommended {[item.item_id for item in response.items]}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
