"""The course map: every notebook in order, with its business question, methods and time.

Single source for the README's course map and each notebook's navigation line
(``python tools/navigation.py`` regenerates both).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    """One notebook of the course."""

    file: str
    title: str
    question: str
    methods: str
    minutes: int
    #: minutes of the skippable "Going further (optional)" section after the summary
    optional_minutes: int = 0


LESSONS: tuple[Lesson, ...] = (
    Lesson("01_data_collection.ipynb", "Data collection",
           "Where does customer data come from, and how do we join it?",
           "SQL on a CRM, CSV and JSON Lines exports, join coverage, keyed-hash (HMAC) "
           "pseudonymisation, consent, data dictionary; optional: salts, home-made keyed hashes, "
           "key rotation", 60, 10),
    Lesson("02_data_cleaning.ipynb", "Data cleaning and customer profile",
           "Can we trust this data?",
           "profiling, duplicates, returns, price typos, label standardisation, mixed date "
           "formats, row-by-row audit, revenue waterfall, customer feature table; optional: "
           "every copy and cancelled unit accounted for", 75, 10),
    Lesson("03_rfm_analysis.ipynb", "RFM analysis",
           "Who are our best and our slipping customers?",
           "recency, frequency and monetary at a fixed as-of date, quintile scores, named "
           "R x FM segments with actions, revenue shares, Pareto curve, the same RFM in one "
           "SQLite query; optional: grading against the answer key", 75, 10),
    Lesson("04_kmeans_segmentation.ipynb", "K-Means segmentation",
           "What natural groups do our customers form, and how many are there?",
           "feature choice, log and square-root transforms, scaling, elbow, silhouette scan and "
           "plot, snake plot and personas, grading against the true types, stability across "
           "seeds (ARI); optional: Calinski-Harabasz, Davies-Bouldin, Ward dendrogram", 75, 20),
    Lesson("05_pca.ipynb", "PCA",
           "How do we see customers on one page, and how much is lost by compressing them?",
           "standardisation, scree and cumulative variance, loadings and biplot, segments in "
           "2-D, K-Means on components vs features, reconstruction error; optional: an MLP "
           "autoencoder vs PCA", 60, 15),
    Lesson("06_churn_prediction.ipynb", "Churn prediction",
           "Who is about to leave, and whom is it worth contacting?",
           "leak-free feature and outcome windows, time-based split, logistic regression "
           "pipeline with CV, ROC AUC with bootstrap, precision-recall, calibration, lift, "
           "odds ratios, expected-profit threshold; optional: tree, forest, SVM, boosting",
           90, 10),
    Lesson("07_clv_and_roi.ipynb", "CLV and ROI",
           "What is a customer worth, and did the campaign pay?",
           "simple CLV formula, cohort CLV, BG/NBD + Gamma-Gamma by maximum likelihood with a "
           "calibration/holdout split and P(alive), discounted CLV, campaign ROI with bootstrap "
           "CI and z-test; optional: tracking plot, spend forecast with MAPE, power, CDNOW, "
           "CLV/CAC by channel", 90, 45),
    Lesson("08_recommenders.ipynb", "Recommenders",
           "What should each customer see next?",
           "implicit feedback, popularity, item and user kNN, TF-IDF content, implicit ALS, "
           "time split, precision/recall/NDCG/MAP@k, coverage, revenue, diversity, novelty, "
           "new-product cold start; optional: paired bootstrap, new customers, repeat "
           "purchases, product views", 90, 25),
    Lesson("09_campaign_plan.ipynb", "Capstone: campaign plan",
           "Whom do we contact, with what, and is it worth it?",
           "next-best-action table (segment, persona, churn, P(alive), CLV, recommendations), "
           "uplift by persona with a Qini curve, expected incremental profit under a budget vs "
           "churn- and CLV-targeting, rules as data, holdout, audience export; optional: "
           "Cochran's Q, two-model uplift, holdout sizing", 90, 20),
    Lesson("10_channels_and_attribution.ipynb", "Channels and attribution",
           "Which channels and touchpoints earn their money, online and offline?",
           "reach, cost, CAC and CLV/CAC per channel online and offline, rule-based "
           "attribution (last, first, linear, time decay) and data-driven attribution "
           "(Markov removal effect, Shapley) against the true contributions, marketing-mix "
           "modelling with adstock and Hill saturation, ROI and marginal ROI with intervals, "
           "budget reallocation graded against the answer key", 90, 20),
    Lesson("11_beyond_one_machine.ipynb", "Beyond one machine",
           "Our data no longer fits a laptop: what now?",
           "when pandas stops being enough, Parquet, RFM as SQL in DuckDB and in Spark "
           "(identical to pandas), MLlib K-Means (ARI) and logistic churn (AUC) against "
           "scikit-learn, pandas/DuckDB/Spark timing at 1x-100x; optional: implicit ALS "
           "(NDCG@10) against notebook 08, spark-submit locally and on a cluster", 60, 20),
)
