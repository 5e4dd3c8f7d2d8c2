using Evaluation.Detection;

namespace Evaluation.Grains.Detection;

/// <summary>How often detection runs and retrains, and the statistical guards it applies.</summary>
public sealed class DetectionTiming
{
    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan RetrainPeriod { get; set; } = TimeSpan.FromHours(24);

    public DetectionSettings Settings { get; set; } = DetectionSettings.Default;
}
