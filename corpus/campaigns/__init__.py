"""Annotation campaigns, the nouns: a campaign stored and read back (`store`), claims on its work (`claims`:
leases on slots), and the spans, suggestion decisions and gold set annotators and reviewers write
(`annotations`). The tables are declared with the rest of the schema in corpus.schema; the verbs that build
a campaign, export it and report on it live in pipelines.campaign.
"""
from corpus.campaigns.store import ASSIGNMENTS, CAMPAIGN_NAME, PROTOCOLS, UNIT_KINDS, CampaignSpec, CampaignStore, get_campaign

__all__ = ["ASSIGNMENTS", "CAMPAIGN_NAME", "PROTOCOLS", "UNIT_KINDS", "CampaignSpec", "CampaignStore", "get_campaign"]
