using Evaluation.Domain.Comments;

namespace Evaluation.Grains.Hosting;

/// <summary>
/// Loads jieba's dictionary and the topic lexicon as the silo starts, before it takes traffic: the first 差评 does not
/// wait the second or so the load takes, and a build that lost the dictionary files fails to start with a message
/// naming them instead of failing ingestion.
/// </summary>
internal sealed class CommentTopicsWarmUp : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(CommentTopicsWarmUp), ServiceLifecycleStage.ApplicationServices, _ => Task.Run(CommentTopics.Load));
}
