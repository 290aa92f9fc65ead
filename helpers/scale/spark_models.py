"""Spark MLlib versions of the course's models: K-Means, logistic churn and implicit ALS.

Each function takes Spark DataFrames (and so runs wherever their session runs: two threads
here, hundreds of executors on a cluster) and returns Spark DataFrames or fitted MLlib models.
They mirror the scikit-learn steps of notebooks 04, 06 and 08:

* :func:`scaled_features`: ``log(1 + x)`` then standardisation with the *population*
  standard deviation, as :func:`helpers.segmentation.prepare_features` does;
* :func:`kmeans_labels`: MLlib K-Means on those features;
* :func:`fit_logistic`: the preparation of :func:`helpers.churn.churn_pipeline` (median
  imputation, ``log(1 + x)``, standardisation, one-hot categories) and an L2-penalised
  logistic regression whose penalty matches scikit-learn's ``C``;
* :func:`fit_als` and :func:`als_top_k`: implicit-feedback ALS (Hu, Koren & Volinsky 2008) and
  top-k lists that leave out what each customer already bought.

>>> from helpers.scale import spark_session                      # doctest: +SKIP
>>> features = scaled_features(rfm, ["recency", "frequency", "monetary"])  # doctest: +SKIP
>>> labels = kmeans_labels(features, k=4, random_state=42)       # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..constants import CUSTOMER_ID, STOCK_CODE, TOP_K
from ..validation import require_int_at_least, require_number_at_least, require_positive_k

if TYPE_CHECKING:  # pragma: no cover - only for type hints
    from pyspark.ml import PipelineModel
    from pyspark.ml.recommendation import ALSModel
    from pyspark.sql import DataFrame

__all__ = [
    "FEATURES",
    "als_top_k",
    "fit_als",
    "fit_logistic",
    "kmeans_labels",
    "logistic_scores",
    "scaled_features",
]

#: Name of the vector column the functions below build.
FEATURES = "features"


def _require_columns(frame: DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{name} is missing column(s) {missing}; available columns: {frame.columns}")


def scaled_features(frame: DataFrame, columns: Sequence[str], *, log: bool = True,
                    keep: Sequence[str] = (CUSTOMER_ID,)) -> DataFrame:
    """``log(1 + x)`` of each column, standardised (population sd), as one vector column.

    Parameters
    ----------
    frame : pyspark.sql.DataFrame
        One row per customer, e.g. from :func:`helpers.scale.rfm_spark`.
    columns : sequence of str
        Numeric columns, >= 0 when ``log``.
    log : bool, default True
        Take ``log(1 + x)`` first.
    keep : sequence of str
        Columns passed through (the customer id).

    Returns
    -------
    pyspark.sql.DataFrame
        ``keep`` columns, the standardised columns and a vector column :data:`FEATURES`.
    """
    from pyspark.ml.feature import VectorAssembler
    from pyspark.sql import functions as sf

    columns = list(columns)
    if not columns:
        raise ValueError("columns is empty: name the numeric feature columns")
    _require_columns(frame, [*keep, *columns], "frame")
    values = frame.select(*keep, *[(sf.log1p(sf.col(c)) if log else sf.col(c).cast("double"))
                                   .alias(c) for c in columns])
    stats = values.agg(*[sf.avg(c).alias(f"mean_{i}") for i, c in enumerate(columns)],
                       *[sf.stddev_pop(c).alias(f"sd_{i}") for i, c in enumerate(columns)]).first()
    flat = [c for i, c in enumerate(columns) if not stats[f"sd_{i}"]]
    if flat:
        raise ValueError(f"column '{flat[0]}' of frame has zero variance: it cannot be "
                         "standardised")
    scaled = values.select(*keep, *[((sf.col(c) - stats[f"mean_{i}"]) / stats[f"sd_{i}"]).alias(c)
                                    for i, c in enumerate(columns)])
    return VectorAssembler(inputCols=columns, outputCol=FEATURES).transform(scaled)


def kmeans_labels(features: DataFrame, *, k: int, random_state: int, max_iter: int = 50,
                  customer_col: str = CUSTOMER_ID) -> DataFrame:
    """Fit MLlib K-Means (k-means|| start) on :data:`FEATURES`; one label per customer.

    Returns
    -------
    pyspark.sql.DataFrame
        ``customer_col`` and ``cluster`` (0 to k - 1), sorted by customer.
    """
    from pyspark.ml.clustering import KMeans

    k = require_int_at_least(k, "k", minimum=2)
    _require_columns(features, [customer_col, FEATURES], "features")
    model = KMeans(k=k, seed=int(random_state), maxIter=max_iter, tol=1e-6,
                   featuresCol=FEATURES, predictionCol="cluster").fit(features)
    return model.transform(features).select(customer_col, "cluster").orderBy(customer_col)


def fit_logistic(train: DataFrame, *, label: str, numeric: Sequence[str],
                 categorical: Sequence[str] = (), log_columns: Sequence[str] = (),
                 C: float = 1.0) -> PipelineModel:  # noqa: N803 - scikit-learn's name
    """MLlib pipeline matching :func:`helpers.churn.churn_pipeline` with a logistic model.

    scikit-learn minimises ``C * sum(log loss) + |w|^2 / 2``; MLlib minimises
    ``mean(log loss) + regParam * |w|^2 / 2``, so ``regParam = 1 / (C * n)`` gives the same
    coefficients for the same features (``n`` training rows).

    Parameters
    ----------
    train : pyspark.sql.DataFrame
        One row per customer with the feature columns and a 0/1 ``label`` column.
    label : str
        The outcome column.
    numeric, categorical, log_columns : sequence of str
        As for ``churn_pipeline``: numeric columns (median-imputed, standardised),
        categorical ones (one-hot; categories unseen in training become all zeros) and the
        numeric columns to put on a ``log(1 + x)`` scale first.
    C : float
        Inverse regularisation strength, as scikit-learn's ``LogisticRegression(C=...)``.

    Returns
    -------
    pyspark.ml.PipelineModel
        Use :func:`logistic_scores` to score a table with it.
    """
    from pyspark.ml import Pipeline
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.feature import (
        Imputer,
        OneHotEncoder,
        SQLTransformer,
        StandardScaler,
        StringIndexer,
        VectorAssembler,
    )

    numeric, categorical, log_columns = list(numeric), list(categorical), list(log_columns)
    if not numeric and not categorical:
        raise ValueError("numeric and categorical are both empty: name the feature columns")
    _require_columns(train, [label, *numeric, *categorical], "train")
    C = require_number_at_least(C, "C", minimum=0.0)
    if C == 0:
        raise ValueError("C must be > 0")
    n_rows = train.count()
    stages = []
    imputed = [f"{c}__imputed" for c in numeric]
    if numeric:
        stages.append(Imputer(inputCols=numeric, outputCols=imputed, strategy="median"))
        logged = ", ".join(
            f"{'log1p(' if c in log_columns else '('}`{c}__imputed`) AS `{c}__ready`"
            for c in numeric)
        stages.append(SQLTransformer(statement=f"SELECT *, {logged} FROM __THIS__"))
        stages.append(VectorAssembler(inputCols=[f"{c}__ready" for c in numeric],
                                      outputCol="numeric__raw"))
        stages.append(StandardScaler(inputCol="numeric__raw", outputCol="numeric__scaled",
                                     withMean=True, withStd=True))
    encoded = []
    for c in categorical:
        stages.append(StringIndexer(inputCol=c, outputCol=f"{c}__index",
                                    handleInvalid="keep", stringOrderType="alphabetAsc"))
        encoded.append(f"{c}__onehot")
    if categorical:
        stages.append(OneHotEncoder(inputCols=[f"{c}__index" for c in categorical],
                                    outputCols=encoded, dropLast=True, handleInvalid="keep"))
    parts = (["numeric__scaled"] if numeric else []) + encoded
    stages.append(VectorAssembler(inputCols=parts, outputCol=FEATURES))
    stages.append(LogisticRegression(featuresCol=FEATURES, labelCol=label,
                                     regParam=1.0 / (C * n_rows), elasticNetParam=0.0,
                                     standardization=False, maxIter=200, tol=1e-7))
    return Pipeline(stages=stages).fit(train)


def logistic_scores(model: PipelineModel, frame: DataFrame, *,
                    customer_col: str = CUSTOMER_ID) -> DataFrame:
    """Probability of the positive class (``score``) per row of ``frame``.

    Returns
    -------
    pyspark.sql.DataFrame
        ``customer_col`` and ``score``, sorted by customer.
    """
    from pyspark.ml.functions import vector_to_array
    from pyspark.sql import functions as sf

    return (model.transform(frame)
            .select(customer_col, vector_to_array("probability")[1].alias("score"))
            .orderBy(customer_col)
            .withColumn("score", sf.col("score").cast("double")))


def fit_als(interactions: DataFrame, *, n_factors: int = 32, regularization: float = 0.1,
            alpha: float = 1.0, n_iterations: int = 10, random_state: int = 0,
            user_col: str = CUSTOMER_ID, item_col: str = STOCK_CODE) -> tuple[ALSModel, DataFrame]:
    """Implicit-feedback ALS on (customer, product) counts, as MLlib computes it.

    Each row of ``interactions`` is one event (an order line); rows are counted per pair,
    and the confidence of a pair is ``1 + alpha * count``. MLlib scales ``regularization``
    by each customer's (and product's) number of distinct pairs (ALS-WR), so its useful size
    is not that of :class:`helpers.recommend.ALSRecommender`: tune it on a validation split.
    Ids of any type are mapped to integers first (MLlib needs int ids).

    Returns
    -------
    (ALSModel, pyspark.sql.DataFrame)
        The model, and the id map: ``user_col``/``item_col`` with their integer ``user`` and
        ``item`` codes, needed by :func:`als_top_k`.
    """
    from pyspark.ml.feature import StringIndexer
    from pyspark.ml.recommendation import ALS
    from pyspark.sql import functions as sf

    n_factors = require_int_at_least(n_factors, "n_factors")
    n_iterations = require_int_at_least(n_iterations, "n_iterations")
    regularization = require_number_at_least(regularization, "regularization")
    alpha = require_number_at_least(alpha, "alpha")
    _require_columns(interactions, [user_col, item_col], "interactions")
    counts = interactions.groupBy(user_col, item_col).agg(sf.count(sf.lit(1)).alias("count"))
    codes = StringIndexer(inputCols=[user_col, item_col], outputCols=["user", "item"],
                          stringOrderType="alphabetAsc").fit(counts)
    coded = codes.transform(counts).select(
        user_col, item_col, sf.col("user").cast("int"), sf.col("item").cast("int"),
        sf.col("count").cast("float"))
    model = ALS(rank=n_factors, maxIter=n_iterations, regParam=regularization, alpha=alpha,
                implicitPrefs=True, userCol="user", itemCol="item", ratingCol="count",
                seed=int(random_state), coldStartStrategy="drop",
                nonnegative=False).fit(coded)
    return model, coded.select(user_col, item_col, "user", "item")


def als_top_k(model: ALSModel, coded: DataFrame, users: DataFrame, *, k: int = TOP_K,
              user_col: str = CUSTOMER_ID, item_col: str = STOCK_CODE) -> DataFrame:
    """Top-``k`` products per customer, leaving out the products they already bought.

    Scores every (customer, product) pair of ``users`` by the dot product of their factors
    (a cross join: fine for catalogues of thousands of products), drops pairs seen in
    training, and keeps the ``k`` best, ties broken by product id.

    Parameters
    ----------
    model : ALSModel
        From :func:`fit_als`.
    coded : pyspark.sql.DataFrame
        The id map returned by :func:`fit_als` (also the seen pairs).
    users : pyspark.sql.DataFrame
        A ``user_col`` column: whom to recommend to (unknown customers are skipped).

    Returns
    -------
    pyspark.sql.DataFrame
        ``user_col``, ``item_col``, ``score`` and ``rank`` (1 = best), the layout of
        :meth:`helpers.recommend.ALSRecommender.recommend`.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as sf

    k = require_positive_k(k)
    _require_columns(users, [user_col], "users")
    user_ids = coded.select(user_col, "user").distinct()
    item_ids = coded.select(item_col, "item").distinct()
    u = (model.userFactors.withColumnRenamed("id", "user").withColumnRenamed("features", "uf")
         .join(user_ids, "user").join(users.select(user_col).distinct(), user_col))
    v = (model.itemFactors.withColumnRenamed("id", "item").withColumnRenamed("features", "vf")
         .join(item_ids, "item"))
    score = sf.aggregate(sf.zip_with("uf", "vf", lambda x, y: x * y), sf.lit(0.0),
                        lambda total, z: total + z)
    seen = coded.select(user_col, item_col)
    pairs = (u.crossJoin(v).select(user_col, item_col, score.cast("double").alias("score"))
             .join(seen, [user_col, item_col], "left_anti"))
    order = Window.partitionBy(user_col).orderBy(sf.col("score").desc(), sf.col(item_col))
    return (pairs.withColumn("rank", sf.row_number().over(order)).where(sf.col("rank") <= k)
            .orderBy(user_col, "rank"))
