namespace Grid.Gateway.Payments;

internal sealed record TopUpPackagesResponse(IReadOnlyList<TopUpPackageResponse> Packages);
