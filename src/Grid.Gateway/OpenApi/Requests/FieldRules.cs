namespace Grid.Gateway.OpenApi.Requests;

/// <summary>The request rules of API.md, as constants the request schemas' attributes can name.</summary>
internal static class FieldRules
{
    /// <summary>Operation ids, account ids and hold ids: 1..128 characters of [A-Za-z0-9_.:-].</summary>
    public const string IdPattern = "^[A-Za-z0-9_.:-]{1,128}$";

    /// <summary>The largest amount: the largest integer a JavaScript client holds exactly (2^53 - 1).</summary>
    public const string MaxAmount = "9007199254740991";

    public const string MinSignedAmount = "-9007199254740991";

    public const int MaxTextLength = 256;

    public const string OperationId =
        "Chosen by the caller: the same id with the same body answers the first response again; with another body it is 409 idempotency_conflict.";

    public const string Metadata = "A JSON object (at most 4,096 characters as JSON) kept on the journal entry.";
}
