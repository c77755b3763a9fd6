package ai.peregrine.deploy;

/** Which serving container the SageMaker model runs. */
public enum ImageChoice {
    /** Hugging Face's TGI inference image (the seed notebook's choice), on a GPU instance. */
    TGI,
    /** Peregrine's own CPU image (pushed to ECR by the user), on a CPU instance. */
    PEREGRINE
}
