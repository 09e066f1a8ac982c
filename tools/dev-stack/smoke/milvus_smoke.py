"""Milvus smoke test for tools/dev-stack: create -> insert -> index -> load -> search -> drop."""
import os
import random

from pymilvus import DataType, MilvusClient

client = MilvusClient(uri=f"http://{os.environ['MILVUS_HOST']}:{os.environ['MILVUS_PORT']}", timeout=30)
name = "dev_stack_smoke"
if client.has_collection(name):
    client.drop_collection(name)
schema = MilvusClient.create_schema(auto_id=False)
schema.add_field("id", DataType.INT64, is_primary=True)
schema.add_field("tenant", DataType.VARCHAR, max_length=32)
schema.add_field("vec", DataType.FLOAT_VECTOR, dim=16)
index = client.prepare_index_params()
index.add_index(field_name="vec", index_type="HNSW", metric_type="COSINE", params={"M": 8, "efConstruction": 64})
client.create_collection(name, schema=schema, index_params=index)
rng = random.Random(7)
rows = [{"id": i, "tenant": "t1" if i % 2 else "t2", "vec": [rng.random() for _ in range(16)]} for i in range(200)]
assert client.insert(name, rows)["insert_count"] == 200
client.load_collection(name)
hits = client.search(name, data=[rows[41]["vec"]], limit=3, filter='tenant == "t1"', output_fields=["tenant"])[0]
assert hits[0]["id"] == 41, hits
assert all(h["entity"]["tenant"] == "t1" for h in hits), hits
got = client.query(name, filter="id in [1, 2, 3]", output_fields=["id"])
assert sorted(r["id"] for r in got) == [1, 2, 3], got
client.drop_collection(name)
print(f"create/insert 200/HNSW COSINE/load/search top-3 {[h['id'] for h in hits]}/query/drop")
